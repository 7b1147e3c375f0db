package io.biu.proxy.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.biu.proxy.cluster.SlotTable;
import io.biu.proxy.resp.RespValue;
import io.biu.proxy.resp.Slots;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * One client's writes to a key whose slot moves between them, on real sockets in front of a {@link FakeCluster}:
 * the first write is on its way to the slot's old master when the proxy learns the new one, and the old master
 * redirects it there only after the client sent the second. The second must still run after the first, as Redis
 * runs one connection's commands, or the key keeps the first value. Without the hold of {@link SendOrder}, the
 * second went straight to the new master and the redirected first overwrote it.
 */
class SlotMoveOrderTest {

    private static final int HALF = Slots.COUNT / 2;
    private static final String KEY = SessionFixture.keyIn(0, HALF - 1, "k");
    private static final int SLOT = SessionFixture.slot(KEY);
    private static final String ON_NEW = SessionFixture.keyIn(HALF, Slots.COUNT - 1, "n");

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
    void aWriteRedirectedAfterItsSlotMovedStillRunsBeforeTheWriteSentAfterIt() throws Exception {
        FakeCluster.Node old = cluster.node();
        FakeCluster.Node next = cluster.node();
        cluster.view(List.of(new SlotTable.Range(0, HALF - 1, old.address),
                new SlotTable.Range(HALF, Slots.COUNT - 1, next.address)));
        ProxyServer proxy = proxy(old, "retry-window-ms", "3000", "node-timeout-ms", "5000");
        SocketClient client = client(proxy);
        SocketClient observer = client(proxy);
        client.send(command("GET", KEY), command("GET", ON_NEW));
        assertEquals("$null", client.reply(), "both masters' connections are open");
        assertEquals("$null", client.reply());

        // the old master hands the key's slot over: it redirects, slowly, and the next refresh names the new one
        old.replyDelayMillis = 1500;
        old.movedTo = next.address;
        client.send(command("SET", KEY, "first"));
        long version = tableVersion(observer);
        cluster.view(List.of(new SlotTable.Range(0, SLOT - 1, old.address),
                new SlotTable.Range(SLOT, SLOT, next.address),
                new SlotTable.Range(SLOT + 1, HALF - 1, old.address),
                new SlotTable.Range(HALF, Slots.COUNT - 1, next.address)));
        await("the proxy's slot table names the new master").atMost(Duration.ofSeconds(3))
                .until(() -> tableVersion(observer) > version);
        client.send(command("SET", KEY, "second"), command("GET", KEY));

        assertEquals(new RespValue.Simple("OK"), client.reply());
        assertEquals(new RespValue.Simple("OK"), client.reply());
        assertEquals("$second", client.reply(), "the GET ran after both SETs");
        assertEquals("second", next.data.get(KEY), "the key keeps the last value written");
        assertNull(old.data.get(KEY));

        // the client's later commands go on as before
        client.send(command("SET", KEY, "third"), command("GET", KEY));
        assertEquals(new RespValue.Simple("OK"), client.reply());
        assertEquals("$third", client.reply());
    }

    private static long tableVersion(SocketClient observer) throws IOException {
        observer.send(command("INFO"));
        String info = (String) observer.reply();
        int at = info.indexOf("slot_table_version:");
        return Long.parseLong(info.substring(at + "slot_table_version:".length(), info.indexOf('\r', at)));
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
}
