package io.biu.redisctl.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.biu.redisctl.client.InstanceState;
import io.biu.redisctl.client.InstanceView;
import io.biu.redisctl.client.Role;
import io.biu.redisctl.plan.Topology;
import io.biu.redisctl.store.Instance;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Instances as {@code GET /clusters/{id}} shows them. */
class InstanceViewTest {

    private static Instance instance(String volumeKey) {
        return new Instance(4L, 1, 1004, "redis-shop-1004", "node2", "10.0.0.4", 6379, 1, Role.REPLICA, "abc",
                Instant.EPOCH, InstanceState.ACTIVE, null, volumeKey);
    }

    @Test
    void anInstanceShowsTheVolumeKeyItsContainerMounts() {
        InstanceView view = ClusterController.instanceView(instance("s1-1"), null);
        assertEquals("s1-1", view.volumeKey());
        assertEquals(List.of(4L, 1004L, "node2", 1, Role.REPLICA), List.of(view.id(), view.containerId(), view.node(),
                view.shard(), view.role()), "as recorded, with no live view");
        assertNull(view.slots());
        assertNull(ClusterController.instanceView(instance(null), null).volumeKey(),
                "null when the cluster keeps no data");
    }

    @Test
    void aLiveViewGivesTheRoleAndSlotsTheClusterHasAndKeepsTheKey() {
        Topology.Node promoted = new Topology.Node("abc", "10.0.0.4", 6379, 16379, List.of("master"), "-", true,
                List.of(5461, 5462, 5463), Map.of(), Map.of());
        InstanceView view = ClusterController.instanceView(instance("s1-1"), promoted);
        assertEquals(List.of(Role.MASTER, List.of("5461-5463"), "s1-1"), List.of(view.role(), view.slots(),
                view.volumeKey()));
    }
}
