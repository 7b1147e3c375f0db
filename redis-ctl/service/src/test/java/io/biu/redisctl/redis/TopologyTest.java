package io.biu.redisctl.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
