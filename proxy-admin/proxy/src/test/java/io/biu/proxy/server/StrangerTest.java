package io.biu.proxy.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.proxy.Transport;
import io.biu.proxy.cluster.SlotTable;
import io.biu.proxy.resp.RespValue;
import io.biu.proxy.resp.Slots;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A proxy on real sockets in front of a {@link FakeCluster} of two members, A and B, and a stranger that the
 * cluster's view comes to name (a process that got itself into the cluster, or an address an instance no longer
 * has): whether by the slot table or by a MOVED, the proxy never connects to it, its clients get an error in
 * their retry window instead, and once proxy-admin names it a member it is used.
 */
class StrangerTest {

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
    void aSlotTableOrARedirectionToAnAddressThatIsNoMemberIsRefused() throws Exception {
        FakeCluster.Node a = cluster.node();
        FakeCluster.Node b = cluster.node();
        FakeCluster.Node stranger = cluster.node();
        cluster.view(List.of(new SlotTable.Range(0, Slots.COUNT - 1, a.address)));
        ProxyServer proxy = proxy(a, b);
        SocketClient client = new SocketClient(proxy.port());
        open.add(client);
        client.send(SessionFixture.command("SET", "k", "1"));
        assertEquals(new RespValue.Simple("OK"), client.reply());

        // a view that gives slots to the stranger: those slots are left unserved, the others are taken
        cluster.view(List.of(new SlotTable.Range(0, Slots.COUNT / 2 - 1, a.address),
                new SlotTable.Range(Slots.COUNT / 2, Slots.COUNT - 1, stranger.address)));
        long refused = proxy.members().refused();
        await("a refresh").atMost(Duration.ofSeconds(5)).until(() -> proxy.members().refused() > refused
                && proxy.table().master(Slots.COUNT - 1) == null);
        assertEquals(a.address, proxy.table().master(0));
        client.send(SessionFixture.command("SET", SessionFixture.keyIn(Slots.COUNT / 2, Slots.COUNT - 1, "k"), "x"));
        RespValue.Error unserved = assertInstanceOf(RespValue.Error.class, client.reply());
        assertTrue(unserved.message().contains("no master serves slot"), unserved.message());
        assertEquals(0, stranger.accepted.get(), "the proxy connected to the stranger");
        cluster.view(List.of(new SlotTable.Range(0, Slots.COUNT - 1, a.address)));
        await("the view of the members again").atMost(Duration.ofSeconds(5))
                .until(() -> a.address.equals(proxy.table().master(Slots.COUNT - 1)));

        // a MOVED to the stranger: the command fails after its retry window; nothing reaches the stranger
        a.movedTo = stranger.address;
        client.send(SessionFixture.command("SET", "k", "2"));
        RespValue.Error error = assertInstanceOf(RespValue.Error.class, client.reply());
        assertTrue(error.message().contains(stranger.address + ", which is not one of the cluster's instances"),
                error.message());
        assertEquals("1", a.data.get("k"));
        assertEquals(0, stranger.accepted.get(), "the proxy connected to the stranger");
        assertTrue(proxy.members().refused() > refused + 1);

        // a MOVED to a member is followed
        a.movedTo = b.address;
        client.send(SessionFixture.command("SET", "k", "3"));
        assertEquals(new RespValue.Simple("OK"), client.reply());
        assertEquals("3", b.data.get("k"));

        // once proxy-admin names it a member, it is one
        proxy.members().replace(List.of(a.address, b.address, stranger.address));
        b.movedTo = stranger.address;
        client.send(SessionFixture.command("SET", "k", "4"));
        assertEquals(new RespValue.Simple("OK"), client.reply());
        assertEquals("4", stranger.data.get("k"));
    }

    private ProxyServer proxy(FakeCluster.Node... members) throws InterruptedException {
        Properties p = new Properties();
        p.setProperty("port", "0");
        p.setProperty("threads", "1");
        p.setProperty("seeds", members[0].address.toString());
        List<String> listed = new ArrayList<>();
        for (FakeCluster.Node m : members) {
            listed.add(m.address.toString());
        }
        p.setProperty("members", String.join(",", listed));
        p.setProperty("refresh-interval-ms", "200");
        p.setProperty("connect-timeout-ms", "200");
        p.setProperty("retry-window-ms", "300");
        ProxyServer proxy = new ProxyServer(ProxyConfig.of(p), Transport.detect());
        open.add(proxy);
        assertTrue(proxy.start(), "the proxy read the slot table");
        return proxy;
    }
}
