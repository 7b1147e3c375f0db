package io.biu.proxy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A client as the proxy sees it, on an {@link EmbeddedChannel} with no cluster behind: what the proxy answers
 * itself (authentication, its own commands, refusals, transactions that cannot run) and the limits that close
 * a client, with replies in the order the commands came.
 */
class ClientSessionTest {

    private static final String PASSWORD = "s3cret";
    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private final Stats stats = new Stats();
    /** Shared by this test's clients, as by a proxy's: they all come from the same (embedded) address. */
    private final PreAuth preAuth = new PreAuth(4);

    private EmbeddedChannel client(String... settings) {
        Properties p = new Properties();
        p.setProperty("seeds", "127.0.0.1:7000");
        p.setProperty("passwords", Passwords.hash(PASSWORD));
        for (int i = 0; i < settings.length; i += 2) {
            p.setProperty(settings[i], settings[i + 1]);
        }
        ProxyConfig config = ProxyConfig.of(p);
        EmbeddedChannel channel = new EmbeddedChannel(new ClientSession(Dispatchers.of(config,
                stats, EmbeddedChannel.class), config, stats, new Access(config.passwords(), config.adminPassword()),
                preAuth, TlsServing.of(config)));
        channels.add(channel);
        return channel;
    }

    @AfterEach
    void close() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    /** Sends {@code bytes} and returns everything written back. */
    private static String send(EmbeddedChannel channel, String bytes) {
        channel.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.UTF_8));
        return SessionFixture.written(channel);
    }


    private static String command(String... args) {
        StringBuilder s = new StringBuilder("*" + args.length + "\r\n");
        for (String a : args) {
            s.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        return s.toString();
    }

    @Test
    void nothingButAuthenticationBeforeTheRightPassword() {
        EmbeddedChannel c = client("max-auth-failures", "4");
        assertEquals("-NOAUTH Authentication required.\r\n", send(c, command("PING")));
        assertEquals("-WRONGPASS invalid username-password pair or user is disabled.\r\n",
                send(c, command("AUTH", "nope")));
        assertEquals("-WRONGPASS invalid username-password pair or user is disabled.\r\n",
                send(c, command("AUTH", "someone", PASSWORD)));
        assertEquals("+OK\r\n", send(c, command("AUTH", "default", PASSWORD)));
        assertEquals("+PONG\r\n", send(c, command("PING")));
        // as with Redis, a failed AUTH leaves an authenticated connection authenticated
        send(c, command("AUTH", "nope"));
        assertEquals("+PONG\r\n", send(c, command("PING")));
        assertTrue(c.isActive());
    }

    @Test
    void helloThreeIsRefusedSoClientsFallBackAndHelloTwoAuthenticates() {
        EmbeddedChannel c = client();
        assertTrue(send(c, command("HELLO", "3", "AUTH", "default", PASSWORD)).startsWith("-NOPROTO"));
        String hello = send(c, command("HELLO", "2", "AUTH", "default", PASSWORD, "SETNAME", "app"));
        assertTrue(hello.startsWith("*14\r\n") && hello.contains("$5\r\nproto\r\n:2\r\n"), hello);
        assertEquals("$3\r\napp\r\n", send(c, command("CLIENT", "GETNAME")));
    }

    @Test
    void pipelinedCommandsTheProxyAnswersComeBackInOrder() {
        EmbeddedChannel c = client();
        String replies = send(c, command("AUTH", PASSWORD) + command("PING") + command("ECHO", "héllo")
                + command("SELECT", "0") + command("SELECT", "3") + command("CLIENT", "SETNAME", "x")
                + command("CLIENT", "GETNAME") + "PING\r\n");
        assertEquals("+OK\r\n+PONG\r\n$6\r\nhéllo\r\n+OK\r\n"
                + "-ERR DB index is out of range (a cluster has database 0 only)\r\n+OK\r\n$1\r\nx\r\n+PONG\r\n", replies);
    }

    @Test
    void unsupportedCommandsAreRefusedByName() {
        EmbeddedChannel c = client();
        send(c, command("AUTH", PASSWORD));
        assertEquals("-ERR unknown or unsupported command 'SUBSCRIBE': the Biu proxy does not run it\r\n",
                send(c, command("SUBSCRIBE", "news")));
        assertTrue(send(c, command("WATCH", "k")).startsWith("-ERR WATCH is not supported by the proxy"));
        assertTrue(send(c, command("BIUPROXY", "PASSWORDS", "x")).startsWith("-ERR unknown or unsupported"),
                "only proxy-admin may change the passwords");
        assertTrue(send(c, command("MSETNX", "a", "1", "b", "2")).startsWith("-CROSSSLOT"));
        assertTrue(send(c, command("MSET", "a", "1", "b")).startsWith("-ERR wrong number of arguments"));
    }

    @Test
    void aTransactionOverSeveralSlotsIsAbortedWithoutReachingTheCluster() {
        EmbeddedChannel c = client();
        send(c, command("AUTH", PASSWORD));
        assertEquals("+OK\r\n", send(c, command("MULTI")));
        assertEquals("+QUEUED\r\n", send(c, command("SET", "{u1}a", "1")));
        assertTrue(send(c, command("SET", "other", "2")).startsWith("-CROSSSLOT"));
        assertEquals("-EXECABORT Transaction discarded because of previous errors.\r\n", send(c, command("EXEC")));
        assertEquals("-ERR EXEC without MULTI\r\n", send(c, command("EXEC")));
        assertEquals("-ERR MULTI calls can not be nested\r\n", send(c, command("MULTI") + command("MULTI"))
                .substring("+OK\r\n".length()));
        assertEquals("+OK\r\n", send(c, command("DISCARD")));
    }

    @Test
    void malformedRespClosesThatClientWithAnError() {
        EmbeddedChannel c = client();
        String reply = send(c, command("AUTH", PASSWORD) + "*2\r\n$3\r\nGET\r\n:1\r\n");
        assertEquals("+OK\r\n-ERR Protocol error: expected '$', got ':'\r\n", reply);
        assertFalse(c.isActive(), "closed");
        assertTrue(client().isActive(), "other clients are not affected");
    }

    @Test
    void binaryGarbageOnALineIsAnUnknownCommandAndABadMultibulkLengthClosesTheClient() {
        EmbeddedChannel c = client();
        c.writeInbound(Unpooled.copiedBuffer((command("AUTH", PASSWORD) + "\u0000\u00ff\u0013*\r\n*-x\r\n")
                .getBytes(StandardCharsets.ISO_8859_1)));
        String reply = SessionFixture.written(c);
        assertTrue(reply.startsWith("+OK\r\n-ERR unknown or unsupported command '"), reply);
        assertTrue(reply.endsWith("-ERR Protocol error: invalid number\r\n"), reply);
        assertFalse(c.isActive(), "closed");
    }

    @Test
    void aCommandOverTheSizeLimitClosesItsClient() {
        EmbeddedChannel c = client("max-request-bytes", "1024");
        String reply = send(c, command("AUTH", PASSWORD) + "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$2000\r\n");
        assertTrue(reply.startsWith("+OK\r\n-ERR Protocol error: request larger than 1024 bytes"), reply);
        assertFalse(c.isActive());
    }

    @Test
    void clientsBeyondTheMaximumAreRefusedAndTheirPlacesComeBack() {
        EmbeddedChannel first = client("max-clients", "1");
        EmbeddedChannel second = client("max-clients", "1");
        assertEquals("-ERR max number of clients reached\r\n", SessionFixture.written(second));
        assertFalse(second.isActive());
        assertTrue(first.isActive());
        first.close();
        EmbeddedChannel third = client("max-clients", "1");
        assertTrue(third.isActive(), "a place freed by a client that left is taken again");
        assertEquals("-NOAUTH Authentication required.\r\n", send(third, command("PING")));
    }

    @Test
    void anIdleClientIsToldWhyAndClosed() {
        EmbeddedChannel c = client("idle-timeout-ms", "30000");
        send(c, command("AUTH", PASSWORD));
        c.pipeline().fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
        assertEquals("-ERR idle for longer than 30 s: closing\r\n", SessionFixture.written(c));
        assertFalse(c.isActive());
    }

    @Test
    void quitAnswersThenCloses() {
        EmbeddedChannel c = client();
        assertEquals("+OK\r\n", send(c, command("QUIT")));
        assertFalse(c.isActive());
    }

    @Test
    void beforeAuthenticationOnlySmallCommandsAreReadAndTheirDeclaredSizeIsNotBuffered() {
        EmbeddedChannel bulk = client();
        String reply = send(bulk, "*2\r\n$4\r\nAUTH\r\n$60000000\r\n");
        assertEquals("-ERR Protocol error: request larger than " + PreAuth.MAX_REQUEST_BYTES + " bytes\r\n", reply);
        assertFalse(bulk.isActive());
        EmbeddedChannel args = client();
        reply = send(args, "*1048576\r\n");
        assertEquals("-ERR Protocol error: too many arguments (1048576; at most " + PreAuth.MAX_ARGS + ")\r\n", reply);
        assertFalse(args.isActive());
        EmbeddedChannel inline = client();
        reply = send(inline, "x".repeat(PreAuth.MAX_REQUEST_BYTES + 1));
        assertEquals("-ERR Protocol error: too big inline request\r\n", reply);
        // once authenticated, the same client may send what the configured limit allows
        EmbeddedChannel c = client();
        String big = "v".repeat(100_000);
        reply = send(c, command("AUTH", PASSWORD) + command("ECHO", big));
        assertEquals("+OK\r\n$100000\r\n" + big + "\r\n", reply);
        assertTrue(c.isActive());
    }

    @Test
    void failedAuthsAreCountedAndTooManyCloseTheClient() {
        EmbeddedChannel c = client();
        String wrong = "-WRONGPASS invalid username-password pair or user is disabled.\r\n";
        assertEquals(wrong, send(c, command("AUTH", "guess1")));
        assertEquals(wrong, send(c, command("HELLO", "2", "AUTH", "default", "guess2")));
        assertTrue(c.isActive());
        assertEquals(wrong + "-ERR 3 failed AUTH attempts: closing\r\n",
                send(c, command("AUTH", "guess3") + command("AUTH", PASSWORD)));
        assertFalse(c.isActive(), "the right password after too many wrong ones comes too late");
        assertTrue(stats.info().contains("auth_failures:3\r\n"), stats.info());
    }

    @Test
    void aClientThatDoesNotAuthenticateInTimeIsClosed() {
        EmbeddedChannel silent = client("auth-timeout-ms", "50");
        EmbeddedChannel authenticated = client("auth-timeout-ms", "50");
        send(authenticated, command("AUTH", PASSWORD));
        silent.advanceTimeBy(100, TimeUnit.MILLISECONDS);
        authenticated.advanceTimeBy(100, TimeUnit.MILLISECONDS);
        silent.runScheduledPendingTasks();
        authenticated.runScheduledPendingTasks();
        assertEquals("-ERR not authenticated within 50 ms: closing\r\n", SessionFixture.written(silent));
        assertFalse(silent.isActive());
        assertTrue(authenticated.isActive(), "an authenticated client has no deadline");
        assertEquals("+PONG\r\n", send(authenticated, command("PING")));
    }

    @Test
    void unauthenticatedConnectionsFromOneSourceAreBoundedAndTheirPlacesComeBack() {
        List<EmbeddedChannel> waiting = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            waiting.add(client());
        }
        EmbeddedChannel refused = client();
        assertEquals("-ERR too many unauthenticated connections from embedded: authenticate the open ones first\r\n",
                SessionFixture.written(refused));
        assertFalse(refused.isActive());
        // a place is given back when a client authenticates, and when one leaves
        send(waiting.get(0), command("AUTH", PASSWORD));
        EmbeddedChannel fifth = client();
        assertTrue(fifth.isActive());
        assertFalse(client().isActive());
        waiting.get(1).close();
        assertTrue(client().isActive());
        assertEquals(4, preAuth.waiting("embedded"));
        assertTrue(waiting.get(0).isActive(), "authenticated clients do not count");
    }
}
