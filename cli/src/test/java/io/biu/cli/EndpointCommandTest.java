package io.biu.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.admin.client.Authority;
import io.biu.admin.client.EndpointState;
import io.biu.admin.client.EndpointView;
import io.biu.admin.client.ProxyView;
import io.biu.redisctl.client.ClusterState;
import io.biu.scheduler.client.ContainerState;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code biu endpoint issue --tls}, {@code biu endpoint ca} and {@code biu connect} of a TLS endpoint. */
class EndpointCommandTest {

    private static final String PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final Map<String, String> env = new HashMap<>(Map.of("BIU_TOKEN", "t"));

    private int run(String... args) {
        env.putIfAbsent("BIU_DATA_DIR", dir.toString());
        Environment environment = new Environment(env, dir.resolve("home"), false, Duration.ofMillis(5));
        return BiuCommand.run(args, new PrintWriter(out, true), new PrintWriter(err, true), environment);
    }

    private static EndpointView endpoint(boolean tls, boolean ready, String password) {
        return new EndpointView(4, 1, "shop", List.of("10.0.0.9:6379"), ready ? EndpointState.READY
                : EndpointState.STARTING, tls, List.of(new ProxyView(8, "node1", "10.0.0.9", 6379,
                ContainerState.RUNNING, ready, null)), null, Replies.AT, password);
    }

    @Test
    void aTlsEndpointIsAskedForAndItsClientsAreToldWhatToTrust() throws IOException {
        try (StubServices stub = new StubServices()) {
            stub.dataDir(dir).on("GET /clusters", 200, Replies.json(List.of(Replies.cluster(1, "shop",
                    ClusterState.READY))))
                    .on("GET /clusters/1", 200, Replies.json(Replies.cluster(1, "shop", ClusterState.READY)))
                    .on("POST /endpoints", 201, Replies.json(endpoint(true, false, "s3cret")))
                    .on("GET /endpoints/4", 200, Replies.json(endpoint(true, true, null)))
                    .on("GET /endpoints", 200, Replies.json(List.of(endpoint(true, true, null))))
                    .on("GET /endpoints?cluster=1", 200, Replies.json(List.of(endpoint(true, true, null))))
                    .on("GET /ca", 200, Replies.json(new Authority(PEM)));

            assertEquals(0, run("endpoint", "issue", "shop", "--tls"), err.toString());
            assertTrue(stub.body("POST /endpoints").contains("\"tls\":true"), stub.body("POST /endpoints"));
            assertTrue(out.toString().contains("biu endpoint ca --out ca.pem"), out.toString());

            Path ca = dir.resolve("ca.pem");
            assertEquals(0, run("endpoint", "ca", "--out", ca.toString()), err.toString());
            assertEquals(PEM, Files.readString(ca));
            out.getBuffer().setLength(0);
            assertEquals(0, run("endpoint", "ca"), err.toString());
            assertEquals(PEM, out.toString());

            out.getBuffer().setLength(0);
            assertEquals(0, run("connect", "shop"), err.toString());
            assertEquals("redis-cli -h 10.0.0.9 -p 6379 --tls --cacert ca.pem --askpass\n", out.toString());
            out.getBuffer().setLength(0);
            assertEquals(0, run("endpoint", "list"), err.toString());
            assertTrue(out.toString().contains("TLS"), out.toString());
        }
    }

    @Test
    void aPlainEndpointIsAskedForWithoutTls() throws IOException {
        try (StubServices stub = new StubServices()) {
            stub.dataDir(dir).on("GET /clusters", 200, Replies.json(List.of(Replies.cluster(1, "shop",
                    ClusterState.READY))))
                    .on("GET /clusters/1", 200, Replies.json(Replies.cluster(1, "shop", ClusterState.READY)))
                    .on("POST /endpoints", 201, Replies.json(endpoint(false, true, "s3cret")))
                    .on("GET /endpoints", 200, Replies.json(List.of(endpoint(false, true, null))))
                    .on("GET /endpoints?cluster=1", 200, Replies.json(List.of(endpoint(false, true, null))));
            assertEquals(0, run("endpoint", "issue", "shop", "--no-wait"), err.toString());
            assertTrue(stub.body("POST /endpoints").contains("\"tls\":null"), stub.body("POST /endpoints"));
            out.getBuffer().setLength(0);
            assertEquals(0, run("connect", "shop"), err.toString());
            assertEquals("redis-cli -h 10.0.0.9 -p 6379 --askpass\n", out.toString());
        }
    }
}
