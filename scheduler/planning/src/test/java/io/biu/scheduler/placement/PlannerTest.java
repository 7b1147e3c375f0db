package io.biu.scheduler.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.scheduler.cpu.BoundCpu;
import io.biu.scheduler.cpu.CpuRequest;
import io.biu.scheduler.cpu.NodeCpu;
import io.biu.scheduler.cpu.PooledCpu;
import io.biu.scheduler.cpu.ShareBase;
import io.biu.scheduler.error.SchedulerError;
import io.biu.scheduler.error.SchedulerException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PlannerTest {

    private static final ShareBase BASE = ShareBase.TENTHS;
    private static final long GIB = Sizes.GIB;

    private static CpuRequest cpu(String cores) {
        return CpuRequest.of(new BigDecimal(cores), BASE);
    }

    private static NodeSnapshot node(String name, int cores, long memory) {
        return NodeSnapshot.of(name, BoundCpu.idle(BASE, cores), memory);
    }

    private static NodeSnapshot withApp(NodeSnapshot n, int appContainers, String... groups) {
        return new NodeSnapshot(n.name(), n.up(), n.cordoned(), n.labels(), n.cpu(), n.freeMemory(), appContainers,
                Set.of(groups));
    }

    private static PlacementRequest request(int count, String cores, long memory, Strategy strategy,
            List<String> groups) {
        return new PlacementRequest("web", count, cpu(cores), memory, Map.of(), groups, strategy);
    }

    private static Map<String, Integer> perNode(Placement placement) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Assignment a : assertInstanceOf(Placement.Planned.class, placement).assignments()) {
            counts.merge(a.node(), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void spreadEvensOutTheAppAcrossNodesCountingWhatIsAlreadyThere() {
        List<NodeSnapshot> nodes = List.of(node("a", 4, 8 * GIB), withApp(node("b", 4, 8 * GIB), 2),
                node("c", 4, 8 * GIB));
        Placement placement = Planner.plan(nodes, request(4, "0.5", GIB / 4, Strategy.SPREAD, List.of()));
        assertEquals(Map.of("a", 2, "c", 2), perNode(placement));
        placement = Planner.plan(nodes, request(7, "0.5", GIB / 4, Strategy.SPREAD, List.of()));
        assertEquals(Map.of("a", 3, "b", 1, "c", 3), perNode(placement));
    }

    @Test
    void spreadBreaksTiesTowardsTheNodeWithMoreRoom() {
        List<NodeSnapshot> nodes = List.of(node("a", 2, 8 * GIB), node("b", 8, 8 * GIB));
        Placement placement = Planner.plan(nodes, request(1, "1", GIB, Strategy.SPREAD, List.of()));
        assertEquals(Map.of("b", 1), perNode(placement));
    }

    @Test
    void binpackFillsTheFullestNodeBeforeOpeningAnother() {
        List<NodeSnapshot> nodes = List.of(node("a", 2, 8 * GIB), node("b", 2, 8 * GIB), node("c", 4, 8 * GIB));
        Placement placement = Planner.plan(nodes, request(5, "0.5", GIB / 4, Strategy.BINPACK, List.of()));
        assertEquals(Map.of("a", 4, "b", 1), perNode(placement));
    }

    @Test
    void fillTopsEveryNodeUpToTheCount() {
        List<NodeSnapshot> nodes = List.of(node("a", 4, 8 * GIB), withApp(node("b", 4, 8 * GIB), 1),
                withApp(node("c", 4, 8 * GIB), 3));
        assertEquals(Map.of("a", 2, "b", 1), perNode(Planner.plan(nodes,
                request(2, "0.5", GIB / 4, Strategy.FILL, List.of()))));
    }

    @Test
    void eachNodeGetsTheCountOnEveryEligibleNode() {
        NodeSnapshot cordoned = new NodeSnapshot("d", true, true, Map.of(), BoundCpu.idle(BASE, 4), 8 * GIB, 0,
                Set.of());
        List<NodeSnapshot> nodes = List.of(node("a", 4, 8 * GIB), node("b", 4, 8 * GIB), node("c", 4, 8 * GIB),
                cordoned);
        assertEquals(Map.of("a", 2, "b", 2, "c", 2), perNode(Planner.plan(nodes,
                request(2, "1", GIB, Strategy.EACH_NODE, List.of()))));
    }

    @Test
    void eachNodeAndFillAreAllOrNothing() {
        List<NodeSnapshot> nodes = List.of(node("a", 4, 8 * GIB), node("b", 1, 8 * GIB), node("c", 4, 8 * GIB));
        Placement.Refused refused = assertInstanceOf(Placement.Refused.class,
                Planner.plan(nodes, request(2, "1", GIB, Strategy.EACH_NODE, List.of())));
        assertEquals(6, refused.requested());
        assertEquals(Map.of(Reason.CPU, 1), refused.nodes());
        assertTrue(refused.message().contains("1 with too little CPU"), refused.message());
    }

    @Test
    void containersSharingAGroupNeverShareANode() {
        List<NodeSnapshot> nodes = List.of(node("a", 8, 16 * GIB), node("b", 8, 16 * GIB), node("c", 8, 16 * GIB));
        List<String> shards = List.of("s1", "s1", "s2", "s2", "s3", "s3");
        for (Strategy strategy : List.of(Strategy.SPREAD, Strategy.BINPACK)) {
            Placement.Planned planned = assertInstanceOf(Placement.Planned.class,
                    Planner.plan(nodes, request(6, "0.5", GIB, strategy, shards)));
            Map<String, String> nodeOfGroupMember = new HashMap<>();
            for (Assignment a : planned.assignments()) {
                String previous = nodeOfGroupMember.put(a.group() + "@" + a.node(), a.node());
                assertEquals(null, previous, strategy + ": two members of " + a.group() + " on " + a.node());
            }
        }
    }

    @Test
    void aGroupAlreadyOnANodeKeepsNewMembersAway() {
        List<NodeSnapshot> nodes = List.of(withApp(node("a", 8, 16 * GIB), 1, "s1"), node("b", 8, 16 * GIB));
        Placement placement = Planner.plan(nodes, request(1, "0.5", GIB, Strategy.BINPACK, List.of("s1")));
        assertEquals(Map.of("b", 1), perNode(placement));
    }

    @Test
    void anAntiAffinityThatCannotBeMetIsRefusedWithItsReason() {
        List<NodeSnapshot> nodes = List.of(node("a", 8, 16 * GIB), node("b", 8, 16 * GIB));
        Placement.Refused refused = assertInstanceOf(Placement.Refused.class,
                Planner.plan(nodes, request(3, "0.5", GIB, Strategy.SPREAD, List.of("redis-master"))));
        assertEquals(2, refused.placeable());
        assertEquals(Map.of(Reason.ANTI_AFFINITY, 2), refused.nodes());
    }

    @Test
    void aRefusalCountsTheNodesThatFailedEachConstraint() {
        NodeCpu idle = BoundCpu.idle(BASE, 4);
        List<NodeSnapshot> nodes = List.of(
                new NodeSnapshot("down", false, false, Map.of("zone", "a"), idle, 8 * GIB, 0, Set.of()),
                new NodeSnapshot("cordoned", true, true, Map.of("zone", "a"), idle, 8 * GIB, 0, Set.of()),
                new NodeSnapshot("elsewhere", true, false, Map.of("zone", "b"), idle, 8 * GIB, 0, Set.of()),
                new NodeSnapshot("small", true, false, Map.of("zone", "a"), BoundCpu.idle(BASE, 1), 8 * GIB, 0,
                        Set.of()),
                new NodeSnapshot("tight", true, false, Map.of("zone", "a"), idle, GIB / 2, 0, Set.of()),
                new NodeSnapshot("ok", true, false, Map.of("zone", "a"), idle, 8 * GIB, 0, Set.of()));
        PlacementRequest request = new PlacementRequest("cache", 4, cpu("1.5"), GIB, Map.of("zone", "a"), List.of(),
                Strategy.SPREAD);
        Placement.Refused refused = assertInstanceOf(Placement.Refused.class, Planner.plan(nodes, request));
        assertEquals(2, refused.placeable(), "the one good node fits two containers of 1.5 cores in 4 cores");
        assertEquals(Map.of(Reason.DOWN, 1, Reason.CORDONED, 1, Reason.LABELS, 1, Reason.CPU, 2, Reason.MEMORY, 1),
                refused.nodes(), "the good node counts as full once it has taken its two");
        assertEquals("cannot place 4 containers of cache with 1.5 cores and 1 GiB each: 2 would fit; of 6 nodes, "
                + "1 down, 1 cordoned, 1 without the selected labels, 2 with too little CPU, "
                + "1 with too little memory ({zone=a})", refused.message());
    }

    /** Where each container of a planned request went, in request order. */
    private static List<String> nodesInOrder(Placement placement) {
        return assertInstanceOf(Placement.Planned.class, placement).assignments().stream().map(Assignment::node)
                .toList();
    }

    private static NodeSnapshot down(NodeSnapshot n) {
        return new NodeSnapshot(n.name(), false, n.cordoned(), n.labels(), n.cpu(), n.freeMemory(), n.appContainers(),
                n.groups());
    }

    @Test
    void aContainerGoesToTheNodeHoldingItsDataWhereTheStrategyWouldNot() {
        // spread alone sends all three to the empty, larger nodes b and c
        List<NodeSnapshot> nodes = List.of(withApp(node("a", 2, 8 * GIB), 2), node("b", 8, 8 * GIB),
                node("c", 8, 8 * GIB));
        assertEquals(List.of("b", "c", "b"), nodesInOrder(Planner.plan(nodes,
                request(3, "0.5", GIB, Strategy.SPREAD, List.of()))));
        Placement placement = Planner.plan(nodes, request(3, "0.5", GIB, Strategy.SPREAD, List.of())
                .withHomes(Arrays.asList(null, "a", null)));
        assertEquals(List.of("b", "a", "c"), nodesInOrder(placement), "the second one's data is on a");
        placement = Planner.plan(nodes, request(3, "0.5", GIB, Strategy.BINPACK, List.of())
                .withHomes(Arrays.asList("c", "c", "b")));
        assertEquals(List.of("c", "c", "b"), nodesInOrder(placement), "binpack would have filled a first");
    }

    @Test
    void aContainerWhoseDataNodeIsDownFullCordonedOrHoldsItsGroupIsPlacedAsUsual() {
        NodeSnapshot full = node("full", 2, 8 * GIB);
        full = new NodeSnapshot("full", true, false, Map.of(), full.cpu().reserve(full.cpu().plan(cpu("2"))
                .orElseThrow()), 8 * GIB, 1, Set.of());
        NodeSnapshot cordoned = new NodeSnapshot("cordoned", true, true, Map.of(), BoundCpu.idle(BASE, 8), 8 * GIB, 0,
                Set.of());
        List<NodeSnapshot> nodes = List.of(down(node("gone", 8, 8 * GIB)), full, cordoned,
                withApp(node("shard", 8, 8 * GIB), 1, "s1"), node("spare", 4, 8 * GIB));
        Placement placement = Planner.plan(nodes, new PlacementRequest("web", 5, cpu("0.5"), GIB, Map.of(),
                List.of("s1", "s2", "s3", "s4", "s5"), Strategy.SPREAD)
                .withHomes(List.of("shard", "gone", "full", "cordoned", "unknown")));
        assertEquals(List.of("spare", "shard", "spare", "shard", "spare"), nodesInOrder(placement),
                "s1 is on shard already; the other homes cannot take a container");
    }

    @Test
    void containersWithAHomeAreServedBeforeOthersTakeItsRoom() {
        // a has room for one more: request order would give it to the first, homeless container
        List<NodeSnapshot> nodes = List.of(node("a", 1, 8 * GIB), withApp(node("b", 4, 8 * GIB), 3));
        Placement placement = Planner.plan(nodes, request(2, "1", GIB, Strategy.SPREAD, List.of())
                .withHomes(Arrays.asList(null, "a")));
        assertEquals(List.of("b", "a"), nodesInOrder(placement));
    }

    @Test
    void homesAreOnePerContainerAndForOneByOneStrategiesOnly() {
        SchedulerException size = assertThrows(SchedulerException.class,
                () -> request(3, "1", GIB, Strategy.SPREAD, List.of()).withHomes(List.of("a", "b")));
        assertEquals(SchedulerError.INVALID_VOLUME, size.error());
        assertTrue(size.getMessage().contains("one per container (3), not 2"), size.getMessage());
        SchedulerException fill = assertThrows(SchedulerException.class,
                () -> request(1, "1", GIB, Strategy.FILL, List.of()).withHomes(List.of("a")));
        assertTrue(fill.getMessage().contains("use the spread or binpack strategy, not fill"), fill.getMessage());
    }

    @Test
    void anEmptyPodSaysSo() {
        Placement.Refused refused = assertInstanceOf(Placement.Refused.class,
                Planner.plan(List.of(), request(1, "1", GIB, Strategy.SPREAD, List.of())));
        assertTrue(refused.message().endsWith("the pod has no nodes"), refused.message());
    }

    @Test
    void publicNodesPlaceBySumOfRequests() {
        List<NodeSnapshot> nodes = List.of(NodeSnapshot.of("p", PooledCpu.idle(BASE, 2), 8 * GIB));
        Placement.Planned planned = assertInstanceOf(Placement.Planned.class,
                Planner.plan(nodes, request(4, "0.5", GIB, Strategy.SPREAD, List.of())));
        assertTrue(planned.assignments().stream().noneMatch(a -> a.cpu().bound()));
    }

    @Test
    void capacityReportsEachNodeAndWhatStopsIt() {
        List<NodeSnapshot> nodes = List.of(node("a", 3, 8 * GIB), node("b", 3, GIB),
                new NodeSnapshot("c", true, true, Map.of(), BoundCpu.idle(BASE, 3), 8 * GIB, 0, Set.of()));
        List<NodeCapacity> capacity = Planner.capacity(nodes, cpu("1.5"), 2 * GIB, Map.of());
        assertEquals(List.of(new NodeCapacity("a", 2, null), new NodeCapacity("b", 0, Reason.MEMORY),
                new NodeCapacity("c", 0, Reason.CORDONED)), capacity);
    }

    @Test
    void plansNeverOvercommitAndReachTheSumOfCapacities() {
        Random random = new Random(11);
        for (int trial = 0; trial < 200; trial++) {
            List<NodeSnapshot> nodes = new ArrayList<>();
            for (int n = 0; n < 1 + random.nextInt(12); n++) {
                nodes.add(node("n" + n, 1 + random.nextInt(8), (1 + random.nextInt(16)) * GIB));
            }
            CpuRequest cpu = new CpuRequest(BASE, 1 + random.nextInt(25));
            long memory = (1 + random.nextInt(4)) * GIB / 2;
            int total = Planner.capacity(nodes, cpu, memory, Map.of()).stream().mapToInt(NodeCapacity::count).sum();
            Strategy strategy = random.nextBoolean() ? Strategy.SPREAD : Strategy.BINPACK;
            int count = 1 + random.nextInt(Math.max(1, total + 3));
            Placement placement = Planner.plan(nodes,
                    new PlacementRequest("x", count, cpu, memory, Map.of(), List.of(), strategy));
            if (count <= total) {
                Placement.Planned planned = assertInstanceOf(Placement.Planned.class, placement);
                Map<String, NodeCpu> left = new HashMap<>();
                Map<String, Long> memoryLeft = new HashMap<>();
                nodes.forEach(n -> left.put(n.name(), n.cpu()));
                nodes.forEach(n -> memoryLeft.put(n.name(), n.freeMemory()));
                for (Assignment a : planned.assignments()) {
                    left.put(a.node(), left.get(a.node()).reserve(a.cpu())); // throws on over-commit
                    memoryLeft.merge(a.node(), -a.memory(), Long::sum);
                }
                assertTrue(memoryLeft.values().stream().allMatch(m -> m >= 0), "memory over-committed");
            } else {
                assertEquals(total, assertInstanceOf(Placement.Refused.class, placement).placeable());
            }
        }
    }

    @Test
    void badRequestsAreRefusedWithWhatToFix() {
        assertEquals(SchedulerError.INVALID_COUNT, assertThrows(SchedulerException.class,
                () -> request(0, "1", GIB, Strategy.SPREAD, List.of())).error());
        SchedulerException memory = assertThrows(SchedulerException.class,
                () -> request(1, "1", Sizes.MIB, Strategy.SPREAD, List.of()));
        assertEquals(SchedulerError.INVALID_MEMORY, memory.error());
        assertTrue(memory.getMessage().contains("between 6 MiB and 4096 GiB, not 1 MiB"), memory.getMessage());
        assertEquals(SchedulerError.INVALID_GROUPS, assertThrows(SchedulerException.class,
                () -> request(3, "1", GIB, Strategy.SPREAD, List.of("a", "b"))).error());
        assertEquals(SchedulerError.INVALID_GROUPS, assertThrows(SchedulerException.class,
                () -> request(2, "1", GIB, Strategy.FILL, List.of("a", "b"))).error());
        SchedulerException strategy = assertThrows(SchedulerException.class, () -> Strategy.parse("random"));
        assertEquals(SchedulerError.INVALID_STRATEGY, strategy.error());
        assertTrue(strategy.getMessage().contains("use spread, binpack, fill, each-node or auto"),
                strategy.getMessage());
        assertEquals(Strategy.SPREAD, Strategy.parse("auto"));
        assertEquals(Strategy.EACH_NODE, Strategy.parse("Each-Node"));
    }
}
