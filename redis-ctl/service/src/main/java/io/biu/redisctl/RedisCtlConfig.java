package io.biu.redisctl;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * redis-ctl's settings ({@code biu.redis-ctl.*}).
 *
 * @param image           the Redis image instances run
 * @param nodeTimeout     Redis's cluster-node-timeout: how long an instance may be silent before failover
 * @param taskPoll        how often idle processes look for runnable tasks
 * @param taskLease       how long a task stays with the process running it without a renewal
 * @param taskTakeoverGrace how long after a task's lease lapsed another process may take it over: its holder stops
 *                        acting by its own clock before the lease ends, and nobody acts on the task during the grace
 *                        (it covers the drift between clocks and a side effect in flight at the holder's deadline)
 * @param taskGiveUp      how long a task's step may keep failing for reasons retrying may fix (a dependency that does
 *                        not answer, a conflict, a server error) before the task fails; refusals fail it at once
 * @param readyTimeout    how long formation waits for instances to pass their readiness probe
 * @param convergeTimeout how long formation waits for every instance to report cluster_state:ok
 * @param statsInterval   how often every instance's INFO goes to InfluxDB
 * @param adoptInterval   how often containers of clusters' apps that nobody joined are looked for
 * @param adoptGrace      how long a ready container may stay unjoined before it is adopted (or removed)
 * @param failoverTimeout how long healing waits for Redis's own failover of a dead master's shard
 * @param drainGrace      how long a drained instance stays up after the others forgot it, so that clients
 *                        still routing to it (it redirects them) learn the new layout before it goes
 */
@ConfigurationProperties("biu.redis-ctl")
public record RedisCtlConfig(String image, Duration nodeTimeout, Duration taskPoll, Duration taskLease,
        Duration taskTakeoverGrace, Duration taskGiveUp, Duration readyTimeout, Duration convergeTimeout,
        Duration statsInterval, Duration adoptInterval, Duration adoptGrace, Duration failoverTimeout,
        Duration drainGrace) {

    public RedisCtlConfig {
        if (taskLease == null || taskLease.isNegative() || taskLease.isZero()) {
            throw new IllegalArgumentException("biu.redis-ctl.task-lease must be a positive duration, such as 30s, not "
                    + taskLease);
        }
        if (taskTakeoverGrace == null || taskTakeoverGrace.isNegative() || taskTakeoverGrace.isZero()) {
            throw new IllegalArgumentException("biu.redis-ctl.task-takeover-grace must be a positive duration, such as "
                    + "10s (about a third of biu.redis-ctl.task-lease), not " + taskTakeoverGrace);
        }
        if (taskGiveUp == null || taskGiveUp.isNegative()) {
            throw new IllegalArgumentException("biu.redis-ctl.task-give-up must be a duration of 0 or more, such as "
                    + "15m, not " + taskGiveUp);
        }
    }
}
