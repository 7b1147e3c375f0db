package io.biu.scheduler;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test-only: with {@code biu.scheduler.crash-after=<step>} the process halts (no shutdown hooks, no
 * cleanup, as if killed) right after the named step of a deployment or a removal, so recovery can be
 * tested at every step instead of hoping a kill lands in the middle. Unset in every real configuration.
 */
@Singleton
public class CrashPoints {

    /** The named steps, in the order a deployment and then a removal pass them. */
    public static final java.util.List<String> STEPS = java.util.List.of(
            "reserved", "created", "files-copied", "started", "stopping", "stopped", "engine-removed");

    private static final Logger LOG = LoggerFactory.getLogger(CrashPoints.class);

    private final String crashAfter;

    CrashPoints(@Nullable @Value("${biu.scheduler.crash-after:}") String crashAfter) {
        this.crashAfter = crashAfter == null ? "" : crashAfter;
        if (!this.crashAfter.isEmpty()) {
            if (!STEPS.contains(this.crashAfter)) {
                throw new IllegalArgumentException("biu.scheduler.crash-after=" + crashAfter
                        + " names no step: use one of " + STEPS);
            }
            LOG.warn("TEST SETTING: this process halts right after step '{}'", crashAfter);
        }
    }

    /** Called right after each named step completes. */
    public void passed(String step) {
        if (crashAfter.equals(step)) {
            LOG.warn("halting after step '{}' (biu.scheduler.crash-after)", step);
            Runtime.getRuntime().halt(137);
        }
    }
}
