package io.biu.scheduler.engine;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A host that accepts TCP connections and never says a word, as a stopped dockerd's kernel does: docker-java's client
 * with TLS settings from {@link HandshakeDeadline} gives up on the handshake after the deadline, where its own
 * connect and response timeouts would leave it waiting forever.
 */
class HandshakeDeadlineTest {

    private ServerSocket silent;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();

    @BeforeEach
    void listen() throws Exception {
        SSLContext.getDefault().getSocketFactory(); // loaded before the clock runs
        silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!silent.isClosed()) {
                try {
                    accepted.add(silent.accept());
                } catch (IOException e) {
                    return;
                }
            }
        }, "silent-host");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @AfterEach
    void close() throws IOException {
        silent.close();
        for (Socket s : accepted) {
            s.close();
        }
    }

    @Test
    void aHandshakeWithAHostThatNeverAnswersGivesUpAfterTheDeadline() throws IOException {
        Duration deadline = Duration.ofMillis(300);
        try (ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(URI.create("tcp://127.0.0.1:" + silent.getLocalPort()))
                .sslConfig(HandshakeDeadline.of(SSLContext::getDefault, deadline))
                .connectionTimeout(deadline)
                .responseTimeout(deadline)
                .build()) {
            DockerHttpClient.Request ping = DockerHttpClient.Request.builder()
                    .method(DockerHttpClient.Request.Method.GET).path("/_ping").build();
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(RuntimeException.class,
                    () -> http.execute(ping).close()), "the handshake with a silent host gave up");
        }
    }
}
