package io.biu.scheduler.container;

import io.biu.scheduler.app.App;
import io.biu.scheduler.client.Schema;
import io.biu.scheduler.cpu.CpuRequest;
import io.biu.scheduler.node.Node;
import io.biu.scheduler.pod.Pod;
import io.micronaut.core.annotation.Nullable;

/**
 * A container as events and membership hashes describe it ({@link Schema.EventContainer}): everything a consumer
 * needs to route to it (its own address, or the node's address and host ports, labels) and to reason about it, never
 * a secret.
 */
final class ContainerInfo {

    private ContainerInfo() {
    }

    static Schema.EventContainer of(Container c, App app, Node node, Pod pod, @Nullable Boolean oomKilled) {
        return new Schema.EventContainer(c.id(), c.name(), app.name(), c.tenant(), c.pod(), node.name(), c.role(),
                c.group(), c.state().id(), c.ready(), c.address(), c.ports(), node.host(), app.labels(),
                new CpuRequest(pod.base(), c.cpuPieces()).cores().toPlainString(), c.cpu().cores(), c.memory(),
                c.exitCode(), oomKilled);
    }
}
