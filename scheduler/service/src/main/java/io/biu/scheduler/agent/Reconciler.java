package io.biu.scheduler.agent;

import io.biu.scheduler.AgentConfig;
import io.biu.scheduler.client.ContainerState;
import io.biu.scheduler.client.EventType;
import io.biu.scheduler.container.Container;
import io.biu.scheduler.container.ContainerRepository;
import io.biu.scheduler.container.ContainerStates;
import io.biu.scheduler.engine.Engine;
import io.biu.scheduler.node.Node;
import io.biu.scheduler.quarantine.Quarantine;
import io.biu.scheduler.volume.VolumeRemovals;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the database and an engine agree, one node at a time. The database's rows are the intent: every
 * step of a deployment or removal is recorded before the next, so what a halted process left half-done
 * shows as a row in an intermediate state older than the grace period. The reconciler then
 * <ul>
 *   <li>undoes deployments that never finished: RESERVED or CREATED rows lose their engine container and
 *       their reservation;</li>
 *   <li>finishes removals: STOPPING, STOPPED and REMOVING rows lose their engine container, then the row;</li>
 *   <li>notices what happened behind the scheduler's back: a RUNNING container that exited is DIED, one
 *       that vanished from its engine is removed;</li>
 *   <li>settles LOST containers once their node answers: running ones run again, exited ones died, missing
 *       ones are removed; a DIED container its engine restarted in place runs again;</li>
 *   <li>hands engine containers that carry Biu's labels but have no row to the {@link Quarantine}: they are
 *       stopped and kept with their data, since a database restored from a backup has no row for what was
 *       created since;</li>
 *   <li>removes the node's keyed volumes whose removal was asked for while it did not answer.</li>
 * </ul>
 * Each container is reconciled on its own: a failure with one (an inspect that fails, a removal the engine refuses)
 * is logged and left for the next pass, and the others go on.
 */
@Singleton
class Reconciler {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    private final ContainerRepository containers;
    private final ContainerStates states;
    private final AgentConfig config;
    private final Quarantine quarantine;
    private final VolumeRemovals volumes;
    private final Clock clock;

    Reconciler(ContainerRepository containers, ContainerStates states, AgentConfig config, Quarantine quarantine,
            VolumeRemovals volumes, Clock clock) {
        this.volumes = volumes;
        this.containers = containers;
        this.states = states;
        this.config = config;
        this.quarantine = quarantine;
        this.clock = clock;
    }

    void reconcile(Node node, Engine engine) {
        Map<Long, Engine.Container> onEngine = new HashMap<>();
        for (Engine.Container e : engine.list(Map.of("biu.pod", node.pod()))) {
            String id = e.labels().get("biu.container");
            if (id != null && !id.isEmpty() && id.length() < 19 && id.chars().allMatch(Character::isDigit)) {
                onEngine.put(Long.valueOf(id), e);
            }
        }
        Instant settled = clock.instant().minus(config.reconcileGrace());
        Set<Long> known = new HashSet<>();
        for (Container c : containers.findByNodeId(node.id())) {
            known.add(c.id());
            try {
                Optional<Engine.Container> there = Optional.ofNullable(onEngine.get(c.id()))
                        .flatMap(e -> engine.inspect(e.id()));
                settle(node, engine, c, there, c.updatedAt().isBefore(settled));
            } catch (RuntimeException e) {
                // one container's failure (its inspect, its removal) leaves the others to be reconciled
                LOG.warn("container {} ({}) on {}: cannot settle {} yet: {}", c.name(), c.id(), node.name(),
                        c.state(), e.toString());
            }
        }
        List<Engine.Container> unknown = new ArrayList<>();
        for (Map.Entry<Long, Engine.Container> e : onEngine.entrySet()) {
            if (!known.contains(e.getKey()) && containers.findById(e.getKey()).isEmpty()) {
                unknown.add(e.getValue());
            }
        }
        quarantine.sweep(node, engine, unknown);
        volumes.removePending(node, engine);
    }

    private void settle(Node node, Engine engine, Container c, Optional<Engine.Container> there, boolean old) {
        switch (c.state()) {
            case RESERVED, CREATED -> {
                if (old) {
                    LOG.warn("container {} ({}) on {} was left {}: undoing its deployment", c.name(), c.id(),
                            node.name(), c.state());
                    removeEverywhere(engine, c, there);
                }
            }
            case STOPPING, STOPPED, REMOVING -> {
                if (old) {
                    LOG.info("container {} ({}) on {} was left {}: finishing its removal", c.name(), c.id(),
                            node.name(), c.state());
                    removeEverywhere(engine, c, there);
                }
            }
            case RUNNING -> {
                if (there.isEmpty()) {
                    LOG.warn("container {} ({}) vanished from {}", c.name(), c.id(), node.name());
                    states.died(c, -1, false);
                    states.removed(c);
                } else if (!there.get().running()) {
                    states.died(c, there.get().exitCode(), there.get().oomKilled());
                }
            }
            case LOST -> {
                if (there.isEmpty()) {
                    states.removed(c);
                } else if (there.get().running()) {
                    LOG.info("container {} ({}) on {} survived: running again", c.name(), c.id(), node.name());
                    states.move(c, ContainerState.RUNNING, EventType.CONTAINER_STARTED);
                } else {
                    states.died(c, there.get().exitCode(), there.get().oomKilled());
                }
            }
            case DIED -> {
                if (there.isEmpty()) {
                    states.removed(c);
                } else if (there.get().running() && states.restarted(c) != null) {
                    LOG.info("container {} ({}) on {} restarted in place", c.name(), c.id(), node.name());
                }
            }
        }
    }

    private void removeEverywhere(Engine engine, Container c, Optional<Engine.Container> there) {
        if (there.isPresent()) {
            engine.remove(there.get().id());
        } else {
            engine.inspect(c.name()).ifPresent(found -> engine.remove(found.id()));
        }
        states.removed(c);
    }

}
