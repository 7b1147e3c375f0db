package io.biu.scheduler.container;

import io.biu.scheduler.app.App;
import io.biu.scheduler.app.AppService;
import io.biu.scheduler.client.ContainerState;
import io.biu.scheduler.client.EventType;
import io.biu.scheduler.event.EventLog;
import io.biu.scheduler.node.Node;
import io.biu.scheduler.node.NodeRepository;
import io.biu.scheduler.pod.Pod;
import io.biu.scheduler.pod.PodRepository;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * Every change of a container's row, and the event that announces it, in one transaction: a change is
 * never committed unannounced, and nothing is announced that did not happen.
 */
@Singleton
public class ContainerStates {

    private final ContainerRepository containers;
    private final EventLog events;
    private final AppService apps;
    private final NodeRepository nodes;
    private final PodRepository pods;
    private final Clock clock;

    ContainerStates(ContainerRepository containers, EventLog events, AppService apps, NodeRepository nodes,
            PodRepository pods, Clock clock) {
        this.containers = containers;
        this.events = events;
        this.apps = apps;
        this.nodes = nodes;
        this.pods = pods;
        this.clock = clock;
    }

    /** Moves a container to {@code next}, announcing it with {@code event} unless that is null. */
    @Transactional
    public Container move(Container c, ContainerState next, @Nullable EventType event) {
        Container saved = containers.update(c.withState(next, clock.instant()));
        announce(saved, event, null);
        return saved;
    }

    /** Records the engine's id for a created container (no event: it has not started). */
    @Transactional
    public Container created(Container c, String engineId) {
        return containers.update(c.created(engineId, clock.instant()));
    }

    /**
     * The probe passed: the container may now take traffic. Once only: a container already ready, or no longer
     * running, is left as it is (the agent's round and the probes right after start may both find it ready).
     */
    @Transactional
    public Container ready(Container c) {
        Container current = containers.findByIdForUpdate(c.id()).orElse(null);
        if (current == null || current.ready() || current.state() != ContainerState.RUNNING) {
            return current;
        }
        Container saved = containers.update(current.withReady(true, clock.instant()));
        announce(saved, EventType.CONTAINER_READY, null);
        return saved;
    }

    /** The container exited on its own (or was killed for memory). */
    @Transactional
    public Container died(Container c, int exitCode, boolean oomKilled) {
        Container saved = containers.update(c.withExit(exitCode, clock.instant()));
        announce(saved, EventType.CONTAINER_DIED, oomKilled);
        return saved;
    }

    /**
     * The engine restarted a container that had died (its restart policy: in place, with its volume). It runs again,
     * not yet ready: the probes decide that as for a new one. A container in any other state is left as it is.
     */
    @Transactional
    public @Nullable Container restarted(Container c) {
        Container current = containers.findByIdForUpdate(c.id()).orElse(null);
        if (current == null || current.state() != ContainerState.DIED) {
            return null;
        }
        return move(current, ContainerState.RUNNING, EventType.CONTAINER_STARTED);
    }

    /** Removal confirmed: the row goes, and with it the resources and address it held. */
    @Transactional
    public void removed(Container c) {
        containers.delete(c);
        announce(c, EventType.CONTAINER_REMOVED, null);
    }

    private void announce(Container c, @Nullable EventType event, @Nullable Boolean oomKilled) {
        if (event == null) {
            return;
        }
        App app = apps.byId(c.appId());
        Node node = nodes.findById(c.nodeId()).orElseThrow();
        Pod pod = pods.findById(c.pod()).orElseThrow();
        events.append(event, c.tenant(), c.appId(), c.id(), node.name(), ContainerInfo.of(c, app, node, pod,
                oomKilled), null);
    }
}
