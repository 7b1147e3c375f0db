package io.biu.scheduler.container;

import io.biu.scheduler.api.Caller;
import io.biu.scheduler.cpu.CpuRequest;
import io.biu.scheduler.node.NodeRepository;
import io.biu.scheduler.placement.NodeCapacity;
import io.biu.scheduler.placement.Planner;
import io.biu.scheduler.pod.Pod;
import io.biu.scheduler.pod.PodService;
import io.biu.scheduler.quota.QuotaService;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How many containers of a size a pod can take now, node by node, and how many the tenant's quota admits; nothing
 * is locked or reserved.
 */
@Singleton
public class CapacityService {

    private final PodService pods;
    private final NodeRepository nodes;
    private final ContainerRepository containers;
    private final QuotaService quotas;

    CapacityService(PodService pods, NodeRepository nodes, ContainerRepository containers, QuotaService quotas) {
        this.quotas = quotas;
        this.pods = pods;
        this.nodes = nodes;
        this.containers = containers;
    }

    public List<NodeCapacity> capacity(Caller caller, String podName, java.math.BigDecimal cores, long memory,
            Map<String, String> selector) {
        Pod pod = pods.get(caller, podName);
        CpuRequest cpu = CpuRequest.of(cores, pod.base());
        return Planner.capacity(Snapshots.of(pod, nodes.findByPodOrderById(pod.name()),
                containers.findByPod(pod.name()), null, null), cpu, memory, selector);
    }

    /** How many more containers of the size the caller's tenant's quota admits; empty without a tenant or quota. */
    public Optional<QuotaService.Room> quotaRoom(Caller caller, String podName, BigDecimal cores, long memory) {
        if (caller.tenant() == null) {
            return Optional.empty();
        }
        Pod pod = pods.get(caller, podName);
        return quotas.room(caller.tenant(), CpuRequest.of(cores, pod.base()).cores(), memory);
    }
}
