package io.biu.scheduler.container;

import io.biu.scheduler.client.NodeState;
import io.biu.scheduler.cpu.BoundCpu;
import io.biu.scheduler.cpu.NodeCpu;
import io.biu.scheduler.cpu.PooledCpu;
import io.biu.scheduler.node.Node;
import io.biu.scheduler.placement.NodeSnapshot;
import io.biu.scheduler.pod.Pod;
import io.micronaut.core.annotation.Nullable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What is left of each node of a pod: its capacity minus the reservations of every container it holds
 * (lost and stopping ones included: they keep what they hold until their removal is confirmed).
 */
final class Snapshots {

    private Snapshots() {
    }

    /**
     * @param appId   the app being placed (its containers per node are counted), or null
     * @param tenant  whose anti-affinity groups count (groups of other tenants never repel)
     */
    static List<NodeSnapshot> of(Pod pod, List<Node> nodes, List<Container> held, @Nullable Long appId,
            @Nullable String tenant) {
        Map<Long, List<Container>> byNode = new HashMap<>();
        for (Container c : held) {
            byNode.computeIfAbsent(c.nodeId(), k -> new ArrayList<>()).add(c);
        }
        List<NodeSnapshot> snapshots = new ArrayList<>(nodes.size());
        for (Node node : nodes) {
            NodeCpu cpu = pod.bound() ? BoundCpu.idle(pod.base(), node.coreIds())
                    : PooledCpu.idle(pod.base(), node.coreIds().size());
            long memory = node.memory();
            int appContainers = 0;
            Set<String> groups = new HashSet<>();
            for (Container c : byNode.getOrDefault(node.id(), List.of())) {
                try {
                    cpu = cpu.reserve(c.cpu());
                } catch (RuntimeException e) {
                    throw new IllegalStateException("node " + node.name() + " holds more than it has: container "
                            + c.name() + " (" + e.getMessage() + ")", e);
                }
                memory -= c.memory();
                if (appId != null && c.appId() == appId) {
                    appContainers++;
                }
                if (c.group() != null && c.tenant().equals(tenant)) {
                    groups.add(c.group());
                }
            }
            snapshots.add(new NodeSnapshot(node.name(), node.state() == NodeState.UP, node.cordoned(), node.labels(),
                    cpu, Math.max(0, memory), appContainers, groups));
        }
        return snapshots;
    }
}
