package io.biu.scheduler.pod;

import io.biu.scheduler.api.Caller;
import io.biu.scheduler.api.Requests;
import io.biu.scheduler.client.Schema;
import io.biu.scheduler.cpu.CpuLimit;
import io.biu.scheduler.cpu.ShareBase;
import io.biu.scheduler.error.SchedulerError;
import io.biu.scheduler.error.SchedulerException;
import io.biu.scheduler.identity.TokenService;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;

/** Pods: created and granted by operators, visible to the tenants they are granted to. */
@Singleton
public class PodService {

    private final PodRepository pods;
    private final Clock clock;

    PodService(PodRepository pods, Clock clock) {
        this.pods = pods;
        this.clock = clock;
    }

    public Pod create(Caller caller, Schema.PodSpec request) {
        caller.requireOperator("creating a pod");
        String name = Requests.name(request.name(), "pod");
        ShareBase base = ShareBase.of(request.shareBase() == null ? 100 : request.shareBase());
        Schema.NetworkSpec net = Requests.required(request.network(), "network");
        NetworkMode mode = Requests.oneOf(NetworkMode.class, net.mode(), NetworkMode.MACVLAN, "network.mode");
        Pod pod = new Pod(name, base.pieces(),
                Requests.oneOf(CpuBinding.class, request.cpuBinding(), CpuBinding.BOUND, "cpuBinding"),
                Requests.oneOf(CpuLimit.class, request.cpuLimit(), CpuLimit.SHARES, "cpuLimit"),
                mode,
                mode == NetworkMode.MACVLAN ? Requests.required(net.subnet(), "network.subnet") : null,
                mode == NetworkMode.MACVLAN ? Requests.required(net.gateway(), "network.gateway") : null,
                mode == NetworkMode.MACVLAN ? Requests.required(net.parent(), "network.parent") : null,
                mode == NetworkMode.MACVLAN ? net.range() : null,
                net.excluded() == null ? List.of() : List.copyOf(net.excluded()),
                request.storageDriver() == null ? "overlay2" : request.storageDriver(),
                tenants(request.tenants()),
                0, clock.instant());
        if (mode == NetworkMode.MACVLAN) {
            pod.addressPool(); // validates subnet, gateway, range and exclusions
        }
        if (pods.existsById(name)) {
            throw new SchedulerException(SchedulerError.ALREADY_EXISTS, "pod '" + name + "' already exists");
        }
        return pods.save(pod);
    }

    private static List<String> tenants(@Nullable List<String> tenants) {
        if (tenants == null) {
            return List.of();
        }
        for (String t : tenants) {
            if (t == null || !TokenService.TENANT.matcher(t).matches()) {
                throw new SchedulerException(SchedulerError.INVALID_NAME, "tenant '" + t + "' is not a tenant name");
            }
        }
        return tenants.stream().distinct().sorted().toList();
    }

    /** A pod the caller may see: operators see all, a tenant those granted to it. */
    public Pod get(Caller caller, String name) {
        Pod pod = pods.findById(name).orElseThrow(() -> SchedulerException.notFound("pod", name));
        if (!caller.operator() && (caller.tenant() == null || !pod.allows(caller.tenant()))) {
            throw SchedulerException.notFound("pod", name);
        }
        return pod;
    }

    public List<Pod> list(Caller caller) {
        return pods.findAllOrderByName().stream()
                .filter(p -> caller.operator() || (caller.tenant() != null && p.allows(caller.tenant())))
                .toList();
    }

    /** Deletes a pod without nodes or apps. */
    @io.micronaut.transaction.annotation.Transactional
    public void delete(Caller caller, String name) {
        caller.requireOperator("deleting a pod");
        Pod pod = pods.findByNameForUpdate(name).orElseThrow(() -> SchedulerException.notFound("pod", name));
        long nodes = pods.countNodes(name);
        long apps = pods.countApps(name);
        if (nodes > 0 || apps > 0) {
            throw new SchedulerException(SchedulerError.IN_USE, "pod '" + name + "' still has " + nodes + " nodes and "
                    + apps + " apps: remove them first");
        }
        pods.delete(pod);
    }

    public Pod grant(Caller caller, String name, List<String> tenants) {
        caller.requireOperator("granting a pod");
        Pod pod = pods.findById(name).orElseThrow(() -> SchedulerException.notFound("pod", name));
        return pods.update(pod.withTenants(tenants(tenants)));
    }
}
