package io.biu.redisctl.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TopologyTest {

    private static final String NODES = String.join("\n",
            "aaa 10.0.0.1:6379@16379 myself,master - 0 0 1 connected 0-2 5 [3->-bbb]",
            "bbb 10.0.0.2:6379@16379 master - 0 1700000000000 2 connected 6-16383 [3-<-aaa]",
            "ccc 10.0.0.3:6379@16379 slave aaa 0 1700000000000 1 connected",
            "ddd 10.0.0.4:6379@16379 master,fail - 1700000000000 1700000000000 3 disconnected",
            "eee 10.0.0.5:20004@20005,host-5 master - 0 1700000000000 4 connected");

    @Test
    void slotsRangesAndOpenSlotsAreRead() {
        Topology t = Topology.parse(NODES);
        Topology.Node me = t.myself();
        assertEquals("aaa", me.id());
        assertEquals("10.0.0.1", me.host());
        assertEquals(6379, me.port());
        assertEquals(16379, me.busPort());
        assertEquals(java.util.List.of(0, 1, 2, 5), me.slots());
        assertEquals(Map.of(3, "bbb"), me.migrating());
        assertEquals(Map.of(3, "aaa"), t.node("bbb").importing());
        assertEquals("aaa", t.node("ccc").masterId());
        assertTrue(t.node("ddd").failing());
        assertEquals(4 + 16378, t.owners().size());
    }

    @Test
    void aNodeOnItsHostsNetworkHasItsOwnBusPortAndAHostname() {
        Topology.Node n = Topology.parse(NODES).node("eee");
        assertEquals("10.0.0.5", n.host());
        assertEquals(20004, n.port());
        assertEquals(20005, n.busPort());
    }

    @Test
    void liveMastersFollowersAndWhoIsKnownAreRead() {
        Topology t = Topology.parse(NODES + "\nfff 10.0.0.6:6379@16379 handshake - 0 0 0 connected");
        assertEquals(java.util.List.of("aaa", "bbb", "eee"), t.liveMasters().stream().map(Topology.Node::id).toList());
        assertEquals(Map.of("aaa", 1), t.followers());
        assertTrue(t.knows("ccc"));
        assertFalse(t.knows("fff"), "still being introduced");
        assertFalse(t.knows("zzz"));
        assertFalse(t.knows(null));
    }

    @Test
    void aViewIsSettledWhenNothingIsOpenAndEverySlotHasAnOwner() {
        assertFalse(Topology.parse(NODES).settled(), "slot 3 is open and slot 4 has no owner");
        assertTrue(Topology.parse(String.join("\n", "aaa 10.0.0.1:6379@16379 myself,master - 0 0 1 connected 0-8191",
                "bbb 10.0.0.2:6379@16379 master - 0 0 2 connected 8192-16383")).settled());
        assertFalse(Topology.parse(String.join("\n",
                "aaa 10.0.0.1:6379@16379 myself,master - 0 0 1 connected 0-8191 [5->-bbb]",
                "bbb 10.0.0.2:6379@16379 master - 0 0 2 connected 8192-16383")).settled());
    }
}
