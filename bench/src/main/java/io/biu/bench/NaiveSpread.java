package io.biu.bench;

import io.biu.scheduler.cpu.CpuPlan;
import io.biu.scheduler.cpu.NodeCpu;
import io.biu.scheduler.placement.NodeSnapshot;
import io.biu.scheduler.placement.PlacementRequest;
import java.util.List;

/**
 * The baseline the planner is measured against: the obvious spread, which for every container scans
 * every node, recomputes its capacity and keeps the best (fewest containers of the app, then the most
 * room). Same answer as the planner without constraints; O(containers x nodes).
 */
final class NaiveSpread {

    private NaiveSpread() {
    }

    static int plan(List<NodeSnapshot> nodes, PlacementRequest request) {
        NodeCpu[] cpu = new NodeCpu[nodes.size()];
        long[] memory = new long[nodes.size()];
        int[] app = new int[nodes.size()];
        for (int i = 0; i < cpu.length; i++) {
            cpu[i] = nodes.get(i).cpu();
            memory[i] = nodes.get(i).freeMemory();
        }
        int placed = 0;
        for (int c = 0; c < request.count(); c++) {
            int best = -1;
            int bestCapacity = 0;
            for (int i = 0; i < cpu.length; i++) {
                int capacity = (int) Math.min(cpu[i].capacity(request.cpu()), memory[i] / request.memory());
                if (capacity > 0 && (best < 0 || app[i] < app[best]
                        || (app[i] == app[best] && capacity > bestCapacity))) {
                    best = i;
                    bestCapacity = capacity;
                }
            }
            if (best < 0) {
                break;
            }
            CpuPlan plan = cpu[best].plan(request.cpu()).orElseThrow();
            cpu[best] = cpu[best].reserve(plan);
            memory[best] -= request.memory();
            app[best]++;
            placed++;
        }
        return placed;
    }
}
