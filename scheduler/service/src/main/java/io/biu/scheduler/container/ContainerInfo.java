package io.biu.scheduler.container;

import io.biu.scheduler.app.App;
import io.biu.scheduler.cpu.CpuRequest;
import io.biu.scheduler.node.Node;
import io.biu.scheduler.pod.Pod;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A container as events and membership hashes describe it: everything a consumer needs to route to it
 * (its own address, or the node's address and host ports, labels) and to reason about it, never a secret.
 */
@Serdeable
public record ContainerInfo(long id, String name, String app, String tenant, String pod, String node,
        @Nullable String role, @Nullable String group, String state, boolean ready, @Nullable String address,
        List<Integer> ports, String nodeAddress, Map<String, String> labels, String cpu, List<Integer> cpuset, long memory,
        @Nullable Integer exitCode, @Nullable Boolean oomKilled) {

    static ContainerInfo of(Container c, App app, Node node, Pod pod, @Nullable Boolean oomKilled) {
        return new ContainerInfo(c.id(), c.name(), app.name(), c.tenant(), c.pod(), node.name(), c.role(), c.group(),
                c.state().name().toLowerCase(Locale.ROOT), c.ready(), c.address(), c.ports(), node.host(), app.labels(),
                new CpuRequest(pod.base(), c.cpuPieces()).cores().toPlainString(), c.cpu().cores(), c.memory(),
                c.exitCode(), oomKilled);
    }
}
