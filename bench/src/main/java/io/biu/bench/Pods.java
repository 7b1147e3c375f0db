package io.biu.bench;

import io.biu.scheduler.cpu.BoundCpu;
import io.biu.scheduler.cpu.CpuPlan;
import io.biu.scheduler.cpu.CpuRequest;
import io.biu.scheduler.cpu.NodeCpu;
import io.biu.scheduler.cpu.ShareBase;
import io.biu.scheduler.placement.NodeSnapshot;
import io.biu.scheduler.placement.Sizes;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Simulated pods for the planning benchmarks: seeded, so every run plans over the same nodes. */
final class Pods {

    static final ShareBase BASE = ShareBase.HUNDREDTHS;

    private Pods() {
    }

    /**
     * {@code count} nodes of {@code cores} cores and 96 GiB, each already running a random mix of
     * containers (0.3 to 2.5 cores), so fragments and exclusive cores are both in play.
     */
    static List<NodeSnapshot> pod(int count, int cores, long seed) {
        Random random = new Random(seed);
        List<NodeSnapshot> nodes = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            NodeCpu cpu = BoundCpu.idle(BASE, cores);
            long memory = 96 * Sizes.GIB;
            int existing = random.nextInt(cores);
            for (int c = 0; c < existing; c++) {
                CpuRequest used = new CpuRequest(BASE, 30 + random.nextInt(221));
                var plan = cpu.plan(used);
                if (plan.isEmpty()) {
                    break;
                }
                CpuPlan p = plan.get();
                cpu = cpu.reserve(p);
                memory -= Sizes.GIB;
            }
            nodes.add(NodeSnapshot.of(String.format("node%05d", n), cpu, memory));
        }
        return nodes;
    }
}
