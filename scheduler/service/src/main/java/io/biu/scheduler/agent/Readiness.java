package io.biu.scheduler.agent;

import io.biu.scheduler.app.App;
import io.biu.scheduler.container.Container;
import io.biu.scheduler.container.ContainerStates;
import io.biu.scheduler.container.StartedContainers;
import io.biu.scheduler.engine.Engine;
import io.biu.scheduler.event.EventRelay;
import io.biu.scheduler.node.Node;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A container that just started is probed at once and then often (every {@link #FIRST_GAP}, doubling up to
 * {@link #MAX_GAP}) for {@link #WATCH_FOR}, so that it takes traffic as soon as it can rather than at the agent's next
 * round; a container slower than that is left to the agent's rounds. Its readiness is relayed to the bus at once.
 */
@Singleton
public class Readiness implements StartedContainers {

    static final Duration FIRST_GAP = Duration.ofMillis(10);
    static final Duration MAX_GAP = Duration.ofMillis(250);
    static final Duration WATCH_FOR = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(Readiness.class);

    private final Probes probes;
    private final ContainerStates states;
    @Nullable
    private final EventRelay relay;
    private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "readiness-probe");
        t.setDaemon(true);
        return t;
    });

    Readiness(Probes probes, ContainerStates states, @Nullable EventRelay relay) {
        this.probes = probes;
        this.states = states;
        this.relay = relay;
    }

    /**
     * Relays the container's start (committed by the caller) at once, then probes it until it passes or
     * {@link #WATCH_FOR} has gone by.
     */
    @Override
    public void started(App app, Node node, Container started, Engine engine) {
        if (relay != null) {
            relay.nudge();
        }
        long until = System.nanoTime() + WATCH_FOR.toNanos();
        timer.execute(() -> probe(app, node, started, engine, until, FIRST_GAP.toMillis()));
    }

    private void probe(App app, Node node, Container c, Engine engine, long untilNanos, long gapMillis) {
        try {
            if (probes.passes(app, node, c, engine)) {
                Container now = states.ready(c);
                if (now != null && now.ready()) {
                    LOG.info("container {} ({}) is ready", c.name(), c.id());
                    if (relay != null) {
                        relay.nudge();
                    }
                }
                return;
            }
        } catch (RuntimeException e) {
            LOG.debug("probe of container {} failed: {}", c.name(), e.toString());
        }
        if (System.nanoTime() < untilNanos) {
            timer.schedule(() -> probe(app, node, c, engine, untilNanos, Math.min(gapMillis * 2, MAX_GAP.toMillis())),
                    gapMillis, TimeUnit.MILLISECONDS);
        }
    }

    @PreDestroy
    void close() {
        timer.shutdownNow();
    }
}
