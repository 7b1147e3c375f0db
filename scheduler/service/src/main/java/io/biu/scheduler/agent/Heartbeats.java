package io.biu.scheduler.agent;

import io.biu.scheduler.AgentConfig;
import io.biu.scheduler.client.NodeState;
import io.biu.scheduler.engine.Engines;
import io.biu.scheduler.node.Node;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failure detection: one round pings every node's engine at once, renews the lease of each that answered and takes
 * down each whose lease lapsed.
 *
 * <p>A silent engine must not stall the others, whatever its client does: a dockerd that is stopped (SIGSTOP) accepts
 * TCP connections and then never finishes the TLS handshake, which no HTTP timeout covers. So the round waits for the
 * pings only until {@link AgentConfig#pingDeadline()}, whatever they do; a ping still unanswered by then counts as
 * missed. A ping still outstanding from an earlier round counts as missed again and is not sent again, so a hung
 * engine holds at most one thread however long it hangs. Pings run on threads of their own ({@link #THREADS} at most),
 * never on the executor the rest of the agents share.
 */
@Singleton
class Heartbeats {

    private static final Logger LOG = LoggerFactory.getLogger(Heartbeats.class);
    /** Pinging threads at most; more nodes than this are pinged as threads come free, within the deadline. */
    static final int THREADS = 64;

    private final AgentConfig config;
    private final NodeTransitions transitions;
    private final Engines engines;
    private final ThreadPoolExecutor pingers;
    /** Pings not answered yet, by node id: at most one per node. */
    private final Map<Long, CompletableFuture<Boolean>> outstanding = new ConcurrentHashMap<>();

    Heartbeats(AgentConfig config, NodeTransitions transitions, Engines engines) {
        this.config = config;
        this.transitions = transitions;
        this.engines = engines;
        AtomicInteger threads = new AtomicInteger();
        this.pingers = new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "agent-ping-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.pingers.allowCoreThreadTimeOut(true);
    }

    /** Pings every node's engine; renews the leases of those that answered in time, then takes lapsed nodes down. */
    void round(List<Node> all) {
        Duration deadline = config.pingDeadline();
        long until = System.nanoTime() + deadline.toNanos();
        Map<Node, CompletableFuture<Boolean>> pings = new LinkedHashMap<>();
        for (Node node : all) {
            CompletableFuture<Boolean> earlier = outstanding.get(node.id());
            if (earlier != null) {
                LOG.debug("node {}: the ping of an earlier round is still unanswered: missed again", node.name());
                pings.put(node, CompletableFuture.completedFuture(false));
            } else {
                pings.put(node, ping(node));
            }
        }
        pings.forEach((node, ping) -> {
            boolean alive = answered(node, ping, until, deadline);
            try {
                if (alive) {
                    transitions.renew(node, config.lease());
                } else if (node.state() == NodeState.UP) {
                    transitions.downIfLapsed(node);
                }
            } catch (RuntimeException e) {
                LOG.warn("node {}: cannot record its heartbeat: {}", node.name(), e.toString(), e);
            }
        });
    }

    /** How many pings are unanswered right now, of every node. */
    int outstanding() {
        return outstanding.size();
    }

    private CompletableFuture<Boolean> ping(Node node) {
        CompletableFuture<Boolean> ping = new CompletableFuture<>();
        outstanding.put(node.id(), ping);
        try {
            pingers.execute(() -> {
                try {
                    ping.complete(engines.at(node.endpoint(), node.tlsDir()).ping());
                } catch (RuntimeException e) {
                    LOG.debug("node {}: ping failed: {}", node.name(), e.toString());
                    ping.complete(false);
                } finally {
                    outstanding.remove(node.id(), ping);
                }
            });
        } catch (RejectedExecutionException e) {
            // only while shutting down
            outstanding.remove(node.id(), ping);
            ping.complete(false);
        }
        return ping;
    }

    private static boolean answered(Node node, CompletableFuture<Boolean> ping, long until, Duration deadline) {
        try {
            return ping.get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            LOG.warn("node {}: its engine did not answer a ping within {}: missed (it is not pinged again until it "
                    + "answers)", node.name(), deadline);
            return false;
        } catch (ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @PreDestroy
    void close() {
        pingers.shutdownNow();
    }
}
