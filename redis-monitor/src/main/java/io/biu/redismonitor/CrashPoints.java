package io.biu.redismonitor;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test-only: with {@code biu.redis-monitor.crash-after=<step>} the process halts (no shutdown hooks, as if killed)
 * right after a scaling action's step of that name is recorded, so recovery can be tested at every step. Unset in
 * every real configuration.
 */
@Singleton
public class CrashPoints {

    private static final Logger LOG = LoggerFactory.getLogger(CrashPoints.class);

    private final String crashAfter;

    CrashPoints(@Nullable @Value("${biu.redis-monitor.crash-after:}") String crashAfter) {
        this.crashAfter = crashAfter == null ? "" : crashAfter;
        if (!this.crashAfter.isEmpty()) {
            LOG.warn("TEST SETTING: this process halts right after step '{}'", crashAfter);
        }
    }

    /** Called right after each named step is recorded. */
    public void passed(String step) {
        if (crashAfter.equals(step)) {
            LOG.warn("halting after step '{}' (biu.redis-monitor.crash-after)", step);
            Runtime.getRuntime().halt(137);
        }
    }
}
