package io.biu.bench;

import io.biu.scheduler.cpu.CpuRequest;
import io.biu.scheduler.placement.NodeCapacity;
import io.biu.scheduler.placement.NodeSnapshot;
import io.biu.scheduler.placement.Placement;
import io.biu.scheduler.placement.PlacementRequest;
import io.biu.scheduler.placement.Planner;
import io.biu.scheduler.placement.Sizes;
import io.biu.scheduler.placement.Strategy;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Planning over a large simulated pod: 1,000 containers of 0.5 cores spread over 10,000 nodes of 24
 * cores, and the capacity of the whole pod for the same request. Baselines, measured in the same run:
 * the obvious spread that rescans every node per container, and one plain pass over the nodes that only
 * adds up free pieces (the least any capacity answer must do).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PlanningBenchmark {

    @Param("10000")
    public int nodes;

    @Param("1000")
    public int containers;

    private List<NodeSnapshot> pod;
    private PlacementRequest request;

    @Setup
    public void setUp() {
        pod = Pods.pod(nodes, 24, 1);
        request = new PlacementRequest("bench", containers, CpuRequest.of(new BigDecimal("0.5"), Pods.BASE),
                Sizes.GIB, Map.of(), List.of(), Strategy.SPREAD);
    }

    @Benchmark
    public Placement plan() {
        Placement placement = Planner.plan(pod, request);
        if (!(placement instanceof Placement.Planned)) {
            throw new IllegalStateException("the benchmark pod should fit the request: " + placement);
        }
        return placement;
    }

    @Benchmark
    public int planNaiveBaseline() {
        return NaiveSpread.plan(pod, request);
    }

    @Benchmark
    public int capacity() {
        int total = 0;
        for (NodeCapacity node : Planner.capacity(pod, request.cpu(), request.memory(), Map.of())) {
            total += node.count();
        }
        return total;
    }

    @Benchmark
    public long freePiecesPassBaseline() {
        long total = 0;
        for (NodeSnapshot node : pod) {
            total += node.cpu().freePieces() + node.freeMemory() / request.memory();
        }
        return total;
    }
}
