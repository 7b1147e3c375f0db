package io.biu.scheduler.agent;

import io.biu.kit.lease.Leases;
import io.biu.scheduler.AgentConfig;
import io.biu.scheduler.app.App;
import io.biu.scheduler.app.AppService;
import io.biu.scheduler.client.ContainerState;
import io.biu.scheduler.client.NodeState;
import io.biu.scheduler.container.Container;
import io.biu.scheduler.container.ContainerRepository;
import io.biu.scheduler.container.ContainerStates;
import io.biu.scheduler.engine.Engine;
import io.biu.scheduler.engine.Engines;
import io.biu.scheduler.node.Node;
import io.biu.scheduler.node.NodeRepository;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node agents, run for every node by whichever scheduler process holds the {@code agents} lease: every
 * heartbeat each engine is pinged ({@link Heartbeats}: a success renews the node's lease; a lease that lapses takes
 * the node down and its containers are lost), containers not yet ready are probed, and each engine's die/oom events
 * are followed. Less often, engines are reconciled with the database and usage goes to InfluxDB.
 */
@Singleton
@Requires(property = "biu.scheduler.background", notEquals = "false")
public class Agents {

    private static final Logger LOG = LoggerFactory.getLogger(Agents.class);

    private final AgentConfig config;
    private final Leases leases;
    private final NodeRepository nodes;
    private final ContainerRepository containers;
    private final ContainerStates states;
    private final Heartbeats heartbeats;
    private final AppService apps;
    private final Engines engines;
    private final Probes probes;
    private final Reconciler reconciler;
    private final InfluxWriter influx;
    private final ExecutorService executor;
    private final Clock clock;
    private final Map<Long, AutoCloseable> watchers = new ConcurrentHashMap<>();
    /** Per-node work still running from an earlier round. */
    private final Map<Long, Work> busy = new ConcurrentHashMap<>();
    /** When each node is next due for reconciliation and for usage samples; a busy node catches up later. */
    private final Map<Long, Instant> reconcileDue = new ConcurrentHashMap<>();
    private final Map<Long, Instant> statsDue = new ConcurrentHashMap<>();

    Agents(AgentConfig config, Leases leases, NodeRepository nodes, ContainerRepository containers,
            ContainerStates states, Heartbeats heartbeats, AppService apps, Engines engines, Probes probes,
            Reconciler reconciler, InfluxWriter influx, @Named(TaskExecutors.BLOCKING) ExecutorService executor,
            Clock clock) {
        this.config = config;
        this.leases = leases;
        this.nodes = nodes;
        this.containers = containers;
        this.states = states;
        this.heartbeats = heartbeats;
        this.apps = apps;
        this.engines = engines;
        this.probes = probes;
        this.reconciler = reconciler;
        this.influx = influx;
        this.executor = executor;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = "${biu.scheduler.agent.heartbeat}", initialDelay = "2s")
    void tick() {
        try {
            if (!leases.hold("agents", config.lease())) {
                stopWatching();
                return;
            }
            heartbeats.round(nodes.findAllOrderById());
            Instant now = clock.instant();
            for (Node node : nodes.findAllOrderById()) {
                if (node.state() != NodeState.UP) {
                    unwatch(node.id());
                } else if (busy.containsKey(node.id())) {
                    busy.get(node.id()).reportIfStuck(node, now);
                } else {
                    // a slow or silent node delays only its own work, never the heartbeats of the others
                    boolean reconcile = due(reconcileDue, node, now, config.reconcileInterval());
                    boolean stats = due(statsDue, node, now, config.statsInterval());
                    Work work = new Work(now);
                    busy.put(node.id(), work);
                    CompletableFuture.runAsync(() -> work.run(() -> perNode(node, reconcile, stats)), executor)
                            .whenComplete((done, failure) -> busy.remove(node.id(), work));
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("agent round failed: {}", e.toString(), e);
        }
    }

    /** One round of a node's work, which reports where it hangs when it takes far longer than a round. */
    private final class Work {
        private final Instant started;
        private volatile Thread thread;
        private volatile boolean reported;

        Work(Instant started) {
            this.started = started;
        }

        void run(Runnable body) {
            thread = Thread.currentThread();
            try {
                body.run();
            } finally {
                thread = null;
            }
        }

        void reportIfStuck(Node node, Instant now) {
            Thread t = thread;
            if (reported || t == null || Duration.between(started, now).compareTo(config.lease().multipliedBy(4)) < 0) {
                return;
            }
            reported = true;
            Throwable where = new Throwable("stack of " + t.getName());
            where.setStackTrace(t.getStackTrace());
            LOG.warn("the agent's work on node {} has taken {} so far", node.name(), Duration.between(started, now),
                    where);
        }
    }

    private static boolean due(Map<Long, Instant> due, Node node, Instant now, Duration interval) {
        if (now.isBefore(due.getOrDefault(node.id(), Instant.EPOCH))) {
            return false;
        }
        due.put(node.id(), now.plus(interval));
        return true;
    }

    private void perNode(Node node, boolean reconcile, boolean stats) {
        Engine engine = engine(node);
        try {
            watch(node, engine);
            List<Container> running = containers.findByNodeId(node.id()).stream()
                    .filter(c -> c.state() == ContainerState.RUNNING).toList();
            for (Container c : running) {
                if (!c.ready()) {
                    App app = apps.byId(c.appId());
                    if (probes.passes(app, node, c, engine)) {
                        Container now = states.ready(c);
                        if (now != null && now.ready()) {
                            LOG.info("container {} ({}) is ready", c.name(), c.id());
                        }
                    }
                }
            }
            if (reconcile) {
                reconciler.reconcile(node, engine);
            }
            if (stats) {
                samples(node, engine, running);
            }
        } catch (RuntimeException e) {
            LOG.warn("agent of node {}: {}", node.name(), e.toString(), e);
        }
    }

    /** Reads the usage of the node's running containers at once (each read takes Docker about a second). */
    private void samples(Node node, Engine engine, List<Container> running) {
        Map<Container, CompletableFuture<Engine.Usage>> reads = new LinkedHashMap<>();
        for (Container c : running) {
            reads.put(c, CompletableFuture.supplyAsync(() -> engine.usage(c.engineId()), executor));
        }
        List<InfluxWriter.Sample> samples = new ArrayList<>();
        reads.forEach((c, read) -> {
            try {
                samples.add(new InfluxWriter.Sample(node.name(), c.pod(), c.tenant(), apps.byId(c.appId()).name(),
                        c.name(), read.join()));
            } catch (RuntimeException e) {
                // a container that stops while being read has no figures this round
                LOG.debug("no usage for container {} on {}: {}", c.name(), node.name(), e.toString());
            }
        });
        influx.write(samples);
    }

    /** Follows the node's die/oom events, once; a closed stream is followed again on the next tick. */
    private void watch(Node node, Engine engine) {
        watchers.computeIfAbsent(node.id(), id -> engine.watch(event -> onEngineEvent(node, engine, event),
                () -> watchers.remove(id)));
    }

    private void onEngineEvent(Node node, Engine engine, Engine.ContainerEvent event) {
        String id = event.labels().get("biu.container");
        if (id == null || !id.chars().allMatch(Character::isDigit)) {
            return;
        }
        if ("start".equals(event.action())) {
            containers.findById(Long.valueOf(id)).filter(c -> c.state() == ContainerState.DIED)
                    .map(states::restarted)
                    .ifPresent(c -> LOG.info("container {} ({}) on {} restarted in place", c.name(), c.id(),
                            node.name()));
            return;
        }
        if (!"die".equals(event.action())) {
            return;
        }
        containers.findById(Long.valueOf(id)).filter(c -> c.state() == ContainerState.RUNNING).ifPresent(c -> {
            boolean oom = engine.inspect(event.containerId()).map(Engine.Container::oomKilled).orElse(false);
            int exit = event.exitCode() == null ? -1 : event.exitCode();
            states.died(c, exit, oom);
            LOG.warn("container {} ({}) on {} died: exit {}{}", c.name(), c.id(), node.name(), exit,
                    oom ? ", killed for memory" : "");
        });
    }

    private void unwatch(long nodeId) {
        AutoCloseable watcher = watchers.remove(nodeId);
        if (watcher != null) {
            try {
                watcher.close();
            } catch (Exception e) {
                LOG.debug("closing the event watch of node {}: {}", nodeId, e.toString());
            }
        }
    }

    private Engine engine(Node node) {
        return engines.at(node.endpoint(), node.tlsDir());
    }

    @PreDestroy
    void stopWatching() {
        for (Long id : List.copyOf(watchers.keySet())) {
            unwatch(id);
        }
    }
}
