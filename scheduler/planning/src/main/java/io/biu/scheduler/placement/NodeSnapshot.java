package io.biu.scheduler.placement;

import io.biu.scheduler.cpu.NodeCpu;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One node as a placement sees it: its state, what is left of it, and what it already holds of the app
 * being placed.
 *
 * @param appContainers containers of the app being placed already on the node
 * @param groups        anti-affinity groups of the containers already on the node
 */
public record NodeSnapshot(String name, boolean up, boolean cordoned, Map<String, String> labels, NodeCpu cpu,
        long freeMemory, int appContainers, Set<String> groups) {

    public NodeSnapshot {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(cpu, "cpu");
        labels = Map.copyOf(labels);
        groups = Set.copyOf(groups);
        if (freeMemory < 0 || appContainers < 0) {
            throw new IllegalArgumentException(name + ": negative free memory or container count");
        }
    }

    /** An up, uncordoned, unlabelled node that holds nothing of the app. */
    public static NodeSnapshot of(String name, NodeCpu cpu, long freeMemory) {
        return new NodeSnapshot(name, true, false, Map.of(), cpu, freeMemory, 0, Set.of());
    }
}
