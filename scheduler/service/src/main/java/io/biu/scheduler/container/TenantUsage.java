package io.biu.scheduler.container;

import io.biu.scheduler.client.ContainerState;
import io.biu.scheduler.cpu.CpuRequest;
import io.biu.scheduler.cpu.ShareBase;
import io.biu.scheduler.pod.PodRepository;
import io.biu.scheduler.quota.QuotaService;
import jakarta.inject.Singleton;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a tenant holds against its quota: its live containers (reserved, created, running) and the dead ones, which
 * its engine may restart in place. One that was lost, or is being stopped or removed, still holds its node's
 * resources until its removal is confirmed, but not the quota: its replacement must not wait for a node that may
 * never answer.
 */
@Singleton
final class TenantUsage implements QuotaService.Held {

    private final ContainerRepository containers;
    private final PodRepository pods;

    TenantUsage(ContainerRepository containers, PodRepository pods) {
        this.containers = containers;
        this.pods = pods;
    }

    @Override
    public QuotaService.Usage of(String tenant) {
        Map<String, ShareBase> bases = new HashMap<>();
        BigDecimal cores = BigDecimal.ZERO;
        long memory = 0;
        List<Container> held = containers.findByTenantOrderById(tenant).stream()
                .filter(c -> ContainerState.LIVE.contains(c.state()) || c.state() == ContainerState.DIED).toList();
        for (Container c : held) {
            ShareBase base = bases.computeIfAbsent(c.pod(), p -> pods.findById(p).orElseThrow().base());
            cores = cores.add(new CpuRequest(base, c.cpuPieces()).cores());
            memory += c.memory();
        }
        return new QuotaService.Usage(cores.stripTrailingZeros(), memory, held.size());
    }
}
