package io.biu.scheduler.agent;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.kit.lease.DatabaseClock;
import io.biu.scheduler.AgentConfig;
import io.biu.scheduler.SchedulerFixture;
import io.biu.scheduler.client.NodeState;
import io.biu.scheduler.engine.FakeEngine;
import io.biu.scheduler.engine.FakeEngine.Op;
import io.biu.scheduler.node.Node;
import io.biu.scheduler.node.NodeRepository;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Failure detection with engines that misbehave: a ping that hangs forever (a stopped dockerd, stuck in the TLS
 * handshake) and an engine that stops answering are both taken down once their leases lapse, while a healthy node's
 * lease is renewed in every single round. Heartbeats every 400 ms, a lease of three, pings given 200 ms.
 */
class HeartbeatsTest {

    private static final Duration HEARTBEAT = Duration.ofMillis(400);

    private SchedulerFixture scheduler;
    private AgentConfig config;

    @BeforeEach
    void start() {
        scheduler = SchedulerFixture.start(Map.of("biu.scheduler.agent.heartbeat", HEARTBEAT.toMillis() + "ms",
                "biu.scheduler.agent.missed", "3"));
        config = scheduler.bean(AgentConfig.class);
        scheduler.hostPod("web", "team-a");
        for (String name : List.of("hung-1", "dead-1", "healthy-1")) {
            scheduler.node(name, "web", List.of(0, 1), "1GiB");
        }
    }

    @AfterEach
    void stop() {
        scheduler.engines().engine("tcp://hung-1.fake:2376").release();
        scheduler.close();
    }

    private Node node(String name) {
        return scheduler.bean(NodeRepository.class).findByName(name).orElseThrow();
    }

    private FakeEngine engine(String name) {
        return scheduler.engine(node(name));
    }

    private List<Node> nodes() {
        return scheduler.bean(NodeRepository.class).findAllOrderById();
    }

    @Test
    @Timeout(30)
    void aHungAndADeadEngineGoDownWhileAHealthyNodeIsRenewedEveryRound() {
        Heartbeats heartbeats = scheduler.bean(Heartbeats.class);
        DatabaseClock database = scheduler.bean(DatabaseClock.class);
        heartbeats.round(nodes());
        assertTrue(nodes().stream().allMatch(n -> n.state() == NodeState.UP && n.leaseExpires() != null));

        FakeEngine hung = engine("hung-1");
        int pingsBefore = hung.calls(Op.PING);
        hung.hang(Op.PING);
        engine("dead-1").unreachable(true);
        long started = System.nanoTime();
        List<Instant> renewed = new ArrayList<>();
        renewed.add(node("healthy-1").leaseExpires());
        Duration slowestRound = Duration.ZERO;

        Duration window = config.lease().plus(HEARTBEAT).plus(config.pingDeadline());
        long rounds = 0;
        while (node("hung-1").state() == NodeState.UP || node("dead-1").state() == NodeState.UP) {
            assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(window.plusSeconds(2)) < 0,
                    "both nodes down within the lease (" + config.lease() + ") and a round; still up after "
                            + rounds + " rounds: " + nodes());
            long begun = System.nanoTime();
            heartbeats.round(nodes());
            Duration took = Duration.ofNanos(System.nanoTime() - begun);
            slowestRound = took.compareTo(slowestRound) > 0 ? took : slowestRound;
            rounds++;

            Node healthy = node("healthy-1");
            assertEquals(NodeState.UP, healthy.state());
            assertTrue(healthy.leaseExpires().isAfter(renewed.get(renewed.size() - 1)),
                    "the healthy node's lease is renewed in round " + rounds + ": " + renewed);
            assertTrue(healthy.leaseExpires().isAfter(database.now()), "and never lapses");
            renewed.add(healthy.leaseExpires());
            assertEquals(pingsBefore + 1, hung.calls(Op.PING), "the hung engine is pinged once, not once a round");
            assertEquals(1, hung.hanging(), "one ping hangs on it, not one per round");
            pause(HEARTBEAT);
        }
        assertTrue(rounds >= 2, "the lease lasted some rounds: " + rounds);
        assertTrue(slowestRound.compareTo(config.pingDeadline().plusMillis(500)) < 0,
                "no round waits much past the ping deadline (" + config.pingDeadline() + "): " + slowestRound);

        // the hung engine answers at last: its ping completes, it is pinged again and comes back
        hung.release();
        engine("dead-1").unreachable(false);
        await("the nodes back up").atMost(Duration.ofSeconds(5)).pollInterval(HEARTBEAT).until(() -> {
            heartbeats.round(nodes());
            return nodes().stream().allMatch(n -> n.state() == NodeState.UP);
        });
        assertEquals(0, heartbeats.outstanding());
    }

    /** Waits between rounds, as the agents' schedule does. */
    private static void pause(Duration between) {
        await().pollDelay(between).atMost(between.plusSeconds(1)).until(() -> true);
    }
}
