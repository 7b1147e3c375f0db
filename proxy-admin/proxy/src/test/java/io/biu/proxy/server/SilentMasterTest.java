package io.biu.proxy.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.proxy.cluster.SlotTable;
import io.biu.proxy.resp.RespValue;
import io.biu.proxy.resp.Slots;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A proxy on real sockets in front of a {@link FakeCluster} whose master A falls silent (its connections stay up,
 * nothing comes back, as behind a partition that drops packets): every command sent to A is answered or gets an
 * error within its bound, and the commands a client sent after it are answered in turn, on the same connection.
 * Without reply deadlines, the clients here would wait until their read timeouts.
 */
class SilentMasterTest {

    /** A key whose slot A serves, and one of B's: A serves the lower half of the slots, B the upper. */
    private static final String ON_A = SessionFixture.keyIn(0, Slots.COUNT / 2 - 1, "a");
    private static final String ON_A_TOO = SessionFixture.keyIn(0, Slots.COUNT / 2 - 1, "a2");
    private static final String ON_B = SessionFixture.keyIn(Slots.COUNT / 2, Slots.COUNT - 1, "b");

    private final FakeCluster cluster = new FakeCluster();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        cluster.close();
    }

    @Test
    void commandsToASilentMasterAreAnsweredWithinTheirBoundAndTheCommandsBehindThemInOrder() throws Exception {
        FakeCluster.Node a = cluster.node();
        FakeCluster.Node b = cluster.node();
        cluster.view(List.of(new SlotTable.Range(0, Slots.COUNT / 2 - 1, a.address),
                new SlotTable.Range(Slots.COUNT / 2, Slots.COUNT - 1, b.address)));
        b.data.put(ON_B, "from-b");
        // reply deadline: 600 + 300 ms
        ProxyServer proxy = proxy(a, "node-timeout-ms", "600", "retry-window-ms", "300");
        long deadline = 900;
        SocketClient client = client(proxy);
        client.send(command("GET", ON_A), command("GET", ON_B));
        assertEquals(bulk(null), client.reply(), "both masters answer at first");
        assertEquals(bulk("from-b"), client.reply());

        a.silent = true;
        long sent = System.nanoTime();
        client.send(command("GET", ON_A), command("SET", ON_A_TOO, "1"), command("GET", ON_B));
        Object read = client.reply();
        long readMillis = millisSince(sent);
        Object write = client.reply();
        Object behind = client.reply();
        long behindMillis = millisSince(sent);

        // the read was sent again only to another master, and the slot table named none within the retry window
        RespValue.Error readError = assertInstanceOf(RespValue.Error.class, read);
        assertTrue(readError.message().startsWith("CLUSTERDOWN " + a.address + " left the command unanswered"),
                readError.message());
        assertEquals(new RespValue.Error("INDOUBT " + a.address + " did not reply within " + deadline
                + " ms after the command was sent; it may or may not have run"), write);
        assertEquals(bulk("from-b"), behind);
        assertTrue(a.ignored.get() >= 2, "A got the commands: " + a.ignored.get());
        // a reply deadline and a retry window, plus the watch's period and a margin for a busy machine
        assertTrue(readMillis >= deadline && readMillis < deadline + 300 + 700, "answered after " + readMillis + " ms");
        assertTrue(behindMillis - readMillis < 250, "the commands behind waited for nothing more: "
                + (behindMillis - readMillis) + " ms");

        long again = System.nanoTime();
        client.send(command("GET", ON_B));
        assertEquals(bulk("from-b"), client.reply());
        assertTrue(millisSince(again) < 500, "the client's connection serves as before: " + millisSince(again) + " ms");
    }

    @Test
    void aBlockingCommandOnASilentMasterGetsTheTimeItAskedForAndOneReplyDeadline() throws Exception {
        FakeCluster.Node a = cluster.node();
        cluster.view(List.of(new SlotTable.Range(0, Slots.COUNT - 1, a.address)));
        ProxyServer proxy = proxy(a, "node-timeout-ms", "600", "retry-window-ms", "300");
        SocketClient client = client(proxy);
        a.silent = true;
        long sent = System.nanoTime();
        client.send(command("BLPOP", ON_A, "0.5"), command("PING"));
        assertEquals(new RespValue.Error("INDOUBT " + a.address + " did not reply within 1400 ms after the command "
                + "was sent; it may or may not have run"), client.reply());
        long answeredMillis = millisSince(sent);
        assertEquals(new RespValue.Simple("PONG"), client.reply());
        assertTrue(answeredMillis >= 1400 && answeredMillis < 1400 + 700, "answered after " + answeredMillis + " ms");
    }

    @Test
    void aRefreshThatNoLongerNamesASilentMasterResolvesItsCommandsLongBeforeTheDeadline() throws Exception {
        FakeCluster.Node a = cluster.node();
        FakeCluster.Node b = cluster.node();
        cluster.view(List.of(new SlotTable.Range(0, Slots.COUNT / 2 - 1, a.address),
                new SlotTable.Range(Slots.COUNT / 2, Slots.COUNT - 1, b.address)));
        // reply deadline: 10 + 1 s, far beyond what the clients wait here
        ProxyServer proxy = proxy(a, "node-timeout-ms", "10000", "retry-window-ms", "1000");
        SocketClient client = client(proxy);
        SocketClient blocked = client(proxy);
        client.send(command("GET", ON_A));
        assertEquals(bulk(null), client.reply());

        a.silent = true;
        long sent = System.nanoTime();
        client.send(command("GET", ON_A), command("SET", ON_A_TOO, "1"),
                command("GET", ON_B));
        // a blocking command, on a connection of its client's own, which has no reply deadline
        blocked.send(command("BLPOP", ON_A_TOO, "0"));
        await().atMost(Duration.ofSeconds(2)).until(() -> a.ignored.get() >= 3);
        // B, A's replica, takes over A's slots, with A's data
        b.data.put(ON_A, "from-b");
        cluster.view(List.of(new SlotTable.Range(0, Slots.COUNT - 1, b.address)));

        assertEquals(bulk("from-b"), client.reply(),
                "the read went again, to the new master");
        String demoted = a.address + " no longer serves any slot as a master and did not reply after the command was "
                + "sent; it may or may not have run";
        assertEquals(new RespValue.Error("INDOUBT " + demoted), client.reply());
        assertEquals(bulk(null), client.reply());
        long answeredMillis = millisSince(sent);
        assertEquals(new RespValue.Error("INDOUBT " + demoted), blocked.reply());
        // a refresh (every 200 ms, A's part of it timing out at 200 ms), the 1 s grace, the watch's period
        assertTrue(answeredMillis < 3000, "answered after " + answeredMillis + " ms, the deadline being 11000");
    }

    @Test
    void aMasterTheSlotTableNoLongerNamesButThatAnswersLosesNothingInFlight() throws Exception {
        FakeCluster.Node a = cluster.node();
        FakeCluster.Node b = cluster.node();
        cluster.view(List.of(new SlotTable.Range(0, Slots.COUNT / 2 - 1, a.address),
                new SlotTable.Range(Slots.COUNT / 2, Slots.COUNT - 1, b.address)));
        ProxyServer proxy = proxy(a, "node-timeout-ms", "10000", "retry-window-ms", "1000");
        SocketClient client = client(proxy);
        client.send(command("GET", ON_A));
        assertEquals(bulk(null), client.reply());

        // A's last slots move to B (a drain) while A takes 700 ms over a write: it answers within the grace
        a.replyDelayMillis = 700;
        client.send(command("SET", ON_A, "1"));
        cluster.view(List.of(new SlotTable.Range(0, Slots.COUNT - 1, b.address)));
        assertEquals(new RespValue.Simple("OK"), client.reply());
        assertEquals("1", a.data.get(ON_A));
    }

    private ProxyServer proxy(FakeCluster.Node seed, String... settings) throws InterruptedException {
        ProxyServer proxy = cluster.proxy(seed, settings);
        open.add(proxy);
        return proxy;
    }

    private SocketClient client(ProxyServer proxy) throws IOException {
        SocketClient c = new SocketClient(proxy.port());
        open.add(c);
        return c;
    }

    private static String command(String... args) {
        return SessionFixture.command(args);
    }

    /** A bulk reply, as the client reads it. */
    private static String bulk(String text) {
        return "$" + text;
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
