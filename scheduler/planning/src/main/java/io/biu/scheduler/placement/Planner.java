package io.biu.scheduler.placement;

import io.biu.scheduler.cpu.CpuPlan;
import io.biu.scheduler.cpu.CpuRequest;
import io.biu.scheduler.cpu.NodeCpu;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Places containers on a snapshot of a pod's nodes: pure code, no I/O.
 *
 * <p>Each node first passes the static hard constraints (up, not cordoned, carries the selected labels) or
 * is rejected with a {@link Reason}. The rest become candidates with a capacity for the request (the CPU
 * packing search of {@link NodeCpu#capacity} and free memory, whichever is smaller). Spread and binpack
 * then place containers one at a time from a priority queue ordered by the strategy, skipping nodes that
 * hold the container's anti-affinity group, and sending a container with a home node (the one holding its data) there
 * when it can take it; fill and each-node work node by node and are all or nothing.
 * A node's capacity is recomputed after each container it takes, so a plan is exact, not an estimate.
 */
public final class Planner {

    private Planner() {
    }

    /** How many containers of this size fit on each node, on its own (anti-affinity not counted). */
    public static List<NodeCapacity> capacity(List<NodeSnapshot> nodes, CpuRequest cpu, long memory,
            Map<String, String> nodeSelector) {
        List<NodeCapacity> result = new ArrayList<>(nodes.size());
        for (NodeSnapshot node : nodes) {
            Reason rejected = staticReason(node, nodeSelector);
            if (rejected != null) {
                result.add(new NodeCapacity(node.name(), 0, rejected));
            } else {
                Candidate c = new Candidate(node, cpu, memory);
                result.add(new NodeCapacity(node.name(), c.capacity, c.limit));
            }
        }
        return result;
    }

    public static Placement plan(List<NodeSnapshot> nodes, PlacementRequest request) {
        Map<Reason, Integer> rejected = new EnumMap<>(Reason.class);
        List<Candidate> candidates = new ArrayList<>();
        for (NodeSnapshot node : nodes) {
            Reason reason = staticReason(node, request.nodeSelector());
            if (reason != null) {
                rejected.merge(reason, 1, Integer::sum);
            } else {
                candidates.add(new Candidate(node, request.cpu(), request.memory()));
            }
        }
        return switch (request.strategy()) {
            case SPREAD -> oneAtATime(candidates, rejected, request, SPREAD_ORDER, nodes.size());
            case BINPACK -> oneAtATime(candidates, rejected, request, BINPACK_ORDER, nodes.size());
            case FILL, EACH_NODE -> nodeByNode(candidates, rejected, request, nodes.size());
        };
    }

    private static Reason staticReason(NodeSnapshot node, Map<String, String> selector) {
        if (!node.up()) {
            return Reason.DOWN;
        }
        if (node.cordoned()) {
            return Reason.CORDONED;
        }
        for (Map.Entry<String, String> label : selector.entrySet()) {
            if (!label.getValue().equals(node.labels().get(label.getKey()))) {
                return Reason.LABELS;
            }
        }
        return null;
    }

    /** Fewest containers of the app first, then the most room, then the name. */
    private static final Comparator<Candidate> SPREAD_ORDER = (a, b) -> {
        int c = Integer.compare(a.appContainers, b.appContainers);
        if (c == 0) {
            c = Integer.compare(b.capacity, a.capacity);
        }
        return c != 0 ? c : a.node.name().compareTo(b.node.name());
    };

    /** The least room left first (the fullest node that still fits), then the name. */
    private static final Comparator<Candidate> BINPACK_ORDER = (a, b) -> {
        int c = Integer.compare(a.capacity, b.capacity);
        return c != 0 ? c : a.node.name().compareTo(b.node.name());
    };

    /**
     * Spread and binpack: containers one at a time, each from the queue in the strategy's order, skipping nodes that
     * hold its anti-affinity group. A container with a home (the node holding its data) goes there instead when the
     * home is a candidate with room that does not hold its group; containers with homes are placed first, so that
     * others never take the room their data needs. Assignments are returned in request order.
     */
    private static Placement oneAtATime(List<Candidate> candidates, Map<Reason, Integer> rejected,
            PlacementRequest request, Comparator<Candidate> order, int nodeCount) {
        PriorityQueue<Candidate> queue = new PriorityQueue<>(Math.max(1, candidates.size()), order);
        Map<String, Candidate> byName = new HashMap<>();
        for (Candidate c : candidates) {
            byName.put(c.node.name(), c);
            if (c.capacity > 0) {
                queue.add(c);
            }
        }
        Assignment[] assignments = new Assignment[request.count()];
        List<Candidate> skipped = new ArrayList<>();
        int placed = 0;
        for (int i : homesFirst(request)) {
            String group = request.groupOf(i);
            Candidate chosen = home(byName.get(request.homeOf(i)), group);
            if (chosen != null) {
                queue.remove(chosen);
            }
            while (chosen == null && !queue.isEmpty()) {
                Candidate c = queue.poll();
                if (group != null && c.holds(group)) {
                    skipped.add(c);
                } else {
                    chosen = c;
                }
            }
            if (chosen == null) {
                for (Candidate c : candidates) {
                    Reason reason = c.capacity == 0 ? c.limit : Reason.ANTI_AFFINITY;
                    rejected.merge(reason, 1, Integer::sum);
                }
                return refused(request, request.count(), placed, rejected, nodeCount);
            }
            assignments[i] = chosen.place(request, group);
            placed++;
            if (chosen.capacity > 0) {
                queue.add(chosen);
            }
            queue.addAll(skipped);
            skipped.clear();
        }
        return new Placement.Planned(List.of(assignments));
    }

    /** The indexes of the request's containers: those with a home first, each part in request order. */
    private static List<Integer> homesFirst(PlacementRequest request) {
        List<Integer> order = new ArrayList<>(request.count());
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < request.count(); i++) {
                if ((request.homeOf(i) != null) == (pass == 0)) {
                    order.add(i);
                }
            }
        }
        return order;
    }

    /** A container's home if it can take the container now (a candidate: up, uncordoned, selected), else null. */
    private static Candidate home(Candidate home, String group) {
        return home != null && home.capacity > 0 && (group == null || !home.holds(group)) ? home : null;
    }

    private static Placement nodeByNode(List<Candidate> candidates, Map<Reason, Integer> rejected,
            PlacementRequest request, int nodeCount) {
        if (candidates.isEmpty()) {
            return refused(request, request.count(), 0, rejected, nodeCount);
        }
        candidates.sort(Comparator.comparing(c -> c.node.name()));
        String group = request.groupOf(0);
        List<Assignment> assignments = new ArrayList<>();
        int requested = 0;
        boolean failed = false;
        for (Candidate c : candidates) {
            int need = request.strategy() == Strategy.FILL
                    ? Math.max(0, request.count() - c.appContainers)
                    : request.count();
            requested += need;
            for (int j = 0; j < need; j++) {
                Reason blocked = group != null && c.holds(group) ? Reason.ANTI_AFFINITY
                        : c.capacity == 0 ? c.limit : null;
                if (blocked != null) {
                    rejected.merge(blocked, 1, Integer::sum);
                    failed = true;
                    break;
                }
                assignments.add(c.place(request, group));
            }
        }
        return failed ? refused(request, requested, assignments.size(), rejected, nodeCount)
                : new Placement.Planned(assignments);
    }

    private static Placement.Refused refused(PlacementRequest request, int requested, int placeable,
            Map<Reason, Integer> nodes, int nodeCount) {
        String perNode = request.strategy() == Strategy.FILL || request.strategy() == Strategy.EACH_NODE
                ? " (" + request.strategy().label() + " " + request.count() + ")" : "";
        StringBuilder message = new StringBuilder()
                .append("cannot place ").append(requested).append(" container").append(requested == 1 ? "" : "s")
                .append(" of ").append(request.app()).append(perNode)
                .append(" with ").append(request.describeResources()).append(" each: ");
        if (nodeCount == 0) {
            message.append("the pod has no nodes");
        } else {
            message.append(placeable).append(" would fit; of ").append(nodeCount).append(" node")
                    .append(nodeCount == 1 ? "" : "s").append(", ")
                    .append(nodes.entrySet().stream()
                            .map(e -> e.getValue() + " " + e.getKey().phrase())
                            .collect(Collectors.joining(", ")));
            if (nodes.containsKey(Reason.LABELS)) {
                message.append(" (").append(request.nodeSelector()).append(')');
            }
        }
        return new Placement.Refused(requested, placeable, nodes, message.toString());
    }

    /** A node under planning: what is left of it as containers are placed. */
    private static final class Candidate {
        final NodeSnapshot node;
        final CpuRequest cpuRequest;
        final long memoryRequest;
        NodeCpu cpu;
        long freeMemory;
        int appContainers;
        Set<String> groups;
        int capacity;
        Reason limit;

        Candidate(NodeSnapshot node, CpuRequest cpuRequest, long memoryRequest) {
            this.node = node;
            this.cpuRequest = cpuRequest;
            this.memoryRequest = memoryRequest;
            this.cpu = node.cpu();
            this.freeMemory = node.freeMemory();
            this.appContainers = node.appContainers();
            this.groups = node.groups();
            refresh();
        }

        private void refresh() {
            int byCpu = cpu.capacity(cpuRequest);
            long byMemory = freeMemory / memoryRequest;
            capacity = (int) Math.min(byCpu, byMemory);
            limit = capacity > 0 ? null : byCpu == 0 ? Reason.CPU : Reason.MEMORY;
        }

        boolean holds(String group) {
            return groups.contains(group);
        }

        Assignment place(PlacementRequest request, String group) {
            CpuPlan plan = cpu.plan(cpuRequest).orElseThrow(
                    () -> new IllegalStateException(node.name() + " has capacity " + capacity + " but no plan"));
            cpu = cpu.reserve(plan);
            freeMemory -= memoryRequest;
            appContainers++;
            if (group != null) {
                if (!(groups instanceof HashSet)) {
                    groups = new HashSet<>(groups);
                }
                groups.add(group);
            }
            refresh();
            return new Assignment(node.name(), plan, request.memory(), group);
        }
    }
}
