package io.biu.scheduler;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * The node agents' settings ({@code biu.scheduler.agent.*}).
 *
 * @param heartbeat         how often each engine is pinged; its lease lasts {@code missed} heartbeats
 * @param missed            heartbeats a node may miss before it is declared down
 * @param reconcileInterval how often each engine's containers are compared with the database
 * @param reconcileGrace    how old a half-done step must be before the reconciler finishes or undoes it
 * @param statsInterval     how often container usage is written to InfluxDB
 * @param probeTimeout      how long a readiness probe may take
 */
@ConfigurationProperties("biu.scheduler.agent")
public record AgentConfig(Duration heartbeat, int missed, Duration reconcileInterval, Duration reconcileGrace,
        Duration statsInterval, Duration probeTimeout) {

    private static final Duration MAX_PING_DEADLINE = Duration.ofSeconds(2);

    /** How long a node's lease lasts after a successful heartbeat. */
    public Duration lease() {
        return heartbeat.multipliedBy(missed);
    }

    /**
     * How long the agent waits for one engine's ping before counting it as missed: half a heartbeat, at most two
     * seconds. Below a heartbeat, so that a round with a silent engine still ends in time for the next round to
     * renew every other node's lease before it lapses.
     */
    public Duration pingDeadline() {
        Duration half = heartbeat.dividedBy(2);
        return half.compareTo(MAX_PING_DEADLINE) < 0 ? half : MAX_PING_DEADLINE;
    }
}
