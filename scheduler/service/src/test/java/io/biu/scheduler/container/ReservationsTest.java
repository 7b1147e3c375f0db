package io.biu.scheduler.container;

import static io.biu.scheduler.SchedulerFixture.OPERATOR;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.kit.error.ErrorKind;
import io.biu.scheduler.SchedulerFixture;
import io.biu.scheduler.client.ContainerState;
import io.biu.scheduler.cpu.CpuPlan;
import io.biu.scheduler.engine.FakeEngine;
import io.biu.scheduler.error.SchedulerError;
import io.biu.scheduler.error.SchedulerException;
import io.biu.scheduler.ipam.Ipv4;
import io.biu.scheduler.node.Node;
import io.biu.scheduler.placement.NodeCapacity;
import io.biu.scheduler.pod.Pod;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Reservations under contention: more deployments at once than a pod can hold, all let go at the same moment. Every
 * one either gets all it asked for or a capacity error that says why, and whatever the interleaving no node ends up
 * holding more cores, memory or addresses than it has, and no anti-affinity group shares a node. Each test has a pod
 * of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReservationsTest {

    private static final String TENANT = "team-a";
    private SchedulerFixture scheduler;

    @BeforeAll
    void start() {
        scheduler = SchedulerFixture.start(Map.of());
    }

    @AfterAll
    void stop() {
        scheduler.close();
    }

    /** What one deployment came to: its containers, or the reason it was refused. */
    private record Outcome(int index, List<Container> placed, RuntimeException refused) {
    }

    /** Runs {@code n} deployments at once, released together, and waits for all of them. */
    private static List<Outcome> concurrently(int n, IntFunction<List<Container>> deployment) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch ready = new CountDownLatch(n);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Outcome>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(threads.submit(() -> {
                    ready.countDown();
                    go.await();
                    try {
                        return new Outcome(index, deployment.apply(index), null);
                    } catch (RuntimeException e) {
                        return new Outcome(index, null, e);
                    }
                }));
            }
            ready.await();
            go.countDown();
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> f : futures) {
                outcomes.add(f.get(30, TimeUnit.SECONDS));
            }
            return outcomes;
        } finally {
            threads.shutdownNow();
        }
    }

    /** Some were placed, some refused, and every refusal is a capacity error starting with {@code message}. */
    private static List<Outcome> placedAndRefused(List<Outcome> outcomes, SchedulerError error, String message) {
        List<Outcome> placed = outcomes.stream().filter(o -> o.refused() == null).toList();
        assertTrue(!placed.isEmpty() && placed.size() < outcomes.size(),
                "the test needs both placed and refused deployments: " + placed.size() + " of " + outcomes.size()
                        + " were placed");
        for (Outcome o : outcomes) {
            if (o.refused() != null) {
                if (!(o.refused() instanceof SchedulerException e)) {
                    throw new AssertionError("refused without a capacity error", o.refused());
                }
                assertEquals(ErrorKind.NO_CAPACITY, e.error().kind(), "refused for capacity: " + e.getMessage());
                assertEquals(error, e.error(), e.getMessage());
                assertTrue(e.getMessage().startsWith(message), "says why: " + e.getMessage());
            }
        }
        return placed;
    }

    @Test
    void concurrentDeploysNeverOverCommitANodesCoresOrMemory() throws Exception {
        Pod pod = scheduler.hostPod("dense", TENANT);
        // one node short of cores, one short of memory, one with a single core: 0.6 and 1.5 cores share fragments
        List<Node> nodes = List.of(
                scheduler.node("dense-1", "dense", List.of(0, 1), "2GiB"),
                scheduler.node("dense-2", "dense", List.of(0, 1, 2, 3), "1GiB"),
                scheduler.node("dense-3", "dense", List.of(2), "4GiB"));
        scheduler.app(TENANT, "small", "dense", "0.6", "256MiB", null);
        scheduler.app(TENANT, "large", "dense", "1.5", "512MiB", null);

        // of each size one or two containers at a time
        IntFunction<String> app = i -> i % 2 == 0 ? "small" : "large";
        IntFunction<Integer> count = i -> 1 + i % 3 / 2;
        List<Outcome> outcomes = concurrently(32, i -> scheduler.deploy(TENANT, app.apply(i), count.apply(i)));

        placedAndRefused(outcomes, SchedulerError.CAPACITY_EXHAUSTED, "cannot place ");
        List<Container> rows = scheduler.rows(pod.name());
        assertEquals(outcomes.stream().filter(o -> o.placed() != null).mapToInt(o -> o.placed().size()).sum(),
                rows.size(), "a row for every container placed, none for the refused");
        for (Node node : nodes) {
            List<Container> held = rows.stream().filter(c -> c.nodeId() == node.id()).toList();
            assertWithinCores(node, held, pod.shareBase());
            assertTrue(held.stream().mapToLong(Container::memory).sum() <= node.memory(),
                    node.name() + " holds " + held.stream().mapToLong(Container::memory).sum() + " bytes of "
                            + node.memory());
            assertEngineRuns(scheduler.engine(node), held);
        }
        // room only shrank while they ran, so what was refused must not fit even now
        CapacityService capacity = scheduler.bean(CapacityService.class);
        for (Outcome o : outcomes) {
            if (o.refused() != null) {
                boolean small = app.apply(o.index()).equals("small");
                List<NodeCapacity> left = capacity.capacity(OPERATOR, pod.name(), new BigDecimal(small ? "0.6" : "1.5"),
                        small ? 256L << 20 : 512L << 20, Map.of());
                assertTrue(left.stream().mapToInt(NodeCapacity::count).sum() < count.apply(o.index()),
                        "refused " + count.apply(o.index()) + " " + app.apply(o.index()) + " although there is room: "
                                + left);
            }
        }
    }

    /**
     * Checks a node's containers against its cores, from their rows alone: exclusive cores belong to one container,
     * fragments share a core only with fragments, at most a core's pieces in all, and only on cores the node lends.
     */
    private static void assertWithinCores(Node node, List<Container> held, int base) {
        Map<Integer, String> exclusive = new HashMap<>();
        Map<Integer, Integer> fragments = new TreeMap<>();
        for (Container c : held) {
            CpuPlan cpu = c.cpu();
            for (int core : cpu.cores()) {
                assertTrue(node.coreIds().contains(core), c.name() + " runs on core " + core + ", which "
                        + node.name() + " does not lend");
            }
            for (int core : cpu.exclusiveCores()) {
                String before = exclusive.put(core, c.name());
                assertTrue(before == null, "core " + core + " of " + node.name() + " is exclusive to both " + before
                        + " and " + c.name());
            }
            if (cpu.fragmentCore() != CpuPlan.NO_CORE) {
                fragments.merge(cpu.fragmentCore(), cpu.fragmentPieces(), Integer::sum);
            }
        }
        fragments.forEach((core, pieces) -> {
            assertTrue(!exclusive.containsKey(core), "core " + core + " of " + node.name() + " is exclusive to "
                    + exclusive.get(core) + " and shared with fragments too");
            assertTrue(pieces <= base, "core " + core + " of " + node.name() + " holds " + pieces + " pieces of "
                    + base);
        });
    }

    /** The node's engine runs exactly the containers its rows say it holds. */
    private static void assertEngineRuns(FakeEngine engine, List<Container> held) {
        Set<String> rows = held.stream().peek(c -> assertEquals(ContainerState.RUNNING, c.state(), c.name()))
                .map(Container::name).collect(Collectors.toSet());
        Set<String> running = engine.containers().stream().filter(h -> h.status() == FakeEngine.Status.RUNNING)
                .map(FakeEngine.Held::name).collect(Collectors.toSet());
        assertEquals(rows, running, "what the engine runs is what the rows hold");
    }

    @Test
    void concurrentDeploysNeverHandOutAnAddressTwice() throws Exception {
        // a /29 with its gateway leaves five addresses; the node has room for forty containers
        Pod pod = scheduler.pod("narrow", "10.72.0.0/29", TENANT);
        Node node = scheduler.node("narrow-1", "narrow", List.of(0, 1, 2, 3), "4GiB");
        scheduler.app(TENANT, "tiny", "narrow", "0.1", "16MiB", null);

        List<Outcome> outcomes = concurrently(16, i -> scheduler.deploy(TENANT, "tiny", 1));

        List<Outcome> placed = placedAndRefused(outcomes, SchedulerError.SUBNET_EXHAUSTED, "10.72.0.0/29 has ");
        assertEquals(5, placed.size(), "as many as the subnet has addresses");
        List<String> addresses = scheduler.rows(pod.name()).stream().map(Container::address).toList();
        assertEquals(5, new HashSet<>(addresses).size(), "no address twice: " + addresses);
        for (String address : addresses) {
            assertTrue(pod.addressPool().assignable(Ipv4.parse(address)), address + " is not the pod's to give");
        }
        assertEngineRuns(scheduler.engine(node), scheduler.rows(pod.name()));
    }

    @Test
    void concurrentDeploysOfOneAntiAffinityGroupNeverShareANode() throws Exception {
        Pod pod = scheduler.hostPod("shards", TENANT);
        for (int i = 1; i <= 3; i++) {
            scheduler.node("shards-" + i, "shards", List.of(0, 1, 2, 3), "4GiB");
        }
        scheduler.app(TENANT, "shard", "shards", "0.1", "16MiB", "shard-1");
        scheduler.app(TENANT, "other", "shards", "0.1", "16MiB", "shard-2");

        List<Outcome> outcomes = concurrently(16, i -> scheduler.deploy(TENANT, i % 4 == 0 ? "other" : "shard", 1));

        placedAndRefused(outcomes, SchedulerError.CAPACITY_EXHAUSTED, "cannot place 1 container of ");
        for (Outcome o : outcomes) {
            if (o.refused() != null) {
                assertTrue(o.refused().getMessage().contains("3 already holding the container's anti-affinity group"),
                        o.refused().getMessage());
            }
        }
        Map<String, List<Long>> nodesByGroup = new HashMap<>();
        for (Container c : scheduler.rows(pod.name())) {
            nodesByGroup.computeIfAbsent(c.group(), g -> new ArrayList<>()).add(c.nodeId());
        }
        assertEquals(Set.of("shard-1", "shard-2"), nodesByGroup.keySet());
        nodesByGroup.forEach((group, nodes) -> {
            assertEquals(3, nodes.size(), group + ": one on each node, and no more");
            assertEquals(3, new HashSet<>(nodes).size(), group + " shares a node: " + nodes);
        });
    }
}
