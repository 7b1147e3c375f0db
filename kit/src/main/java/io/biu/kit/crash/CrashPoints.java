package io.biu.kit.crash;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test-only: with {@code biu.crash-after=<step>} the process halts (no shutdown hooks, no clean-up, as if killed)
 * right after a step of that name completes, so that recovery can be tested at every step instead of hoping a kill
 * lands in the middle. Unset in every real configuration.
 *
 * <p>The steps are those the service's {@link StepList}s declare: a setting that names none of them is refused at
 * start-up, and, with a setting, code that reports passing an undeclared step fails, so a renamed step cannot leave a
 * scenario testing nothing. Without a setting {@link #passed} does nothing at all: a test hook must never stop real
 * work.
 */
@Singleton
public class CrashPoints {

    private static final Logger LOG = LoggerFactory.getLogger(CrashPoints.class);

    private final Set<String> steps = new LinkedHashSet<>();
    private final String crashAfter;
    private final Halt halt;

    /** How the process stops: {@link Runtime#halt} unless a test replaces it. */
    @FunctionalInterface
    public interface Halt {
        void now(String step);
    }

    /**
     * What a test's {@link Halt} throws to stand for a halt inside one process, where {@link Runtime#halt} would end
     * the test too. A halted process runs nothing after the step, so code that cleans up after a failure (catching
     * {@code Error} as well) must let this pass untouched: the clean-up of what a halt left half-done is recovery's
     * job, and recovery is what such a test examines. Never thrown by the default halt, which does not return.
     */
    public static final class Halted extends Error {
        private static final long serialVersionUID = 1L;

        public Halted(String step) {
            super("halted after step '" + step + "'", null, false, false);
        }
    }

    /**
     * @param lists      the service's declared steps
     * @param crashAfter the step to halt after, or empty
     * @param halt       how to halt; null for {@link Runtime#halt}
     */
    public CrashPoints(List<StepList> lists, @Nullable @Value("${biu.crash-after:}") String crashAfter,
            @Nullable Halt halt) {
        lists.forEach(l -> steps.addAll(l.steps()));
        this.crashAfter = crashAfter == null ? "" : crashAfter;
        this.halt = halt != null ? halt : step -> Runtime.getRuntime().halt(137);
        if (!this.crashAfter.isEmpty()) {
            if (!steps.contains(this.crashAfter)) {
                throw new IllegalArgumentException("biu.crash-after=" + crashAfter + " names no step: use one of "
                        + new ArrayList<>(steps));
            }
            LOG.warn("TEST SETTING: this process halts right after step '{}'", crashAfter);
        }
    }

    /** Called right after each named step completes; halts the process if it is the one named. */
    public void passed(String step) {
        if (crashAfter.isEmpty()) {
            return;
        }
        if (!steps.contains(step)) {
            throw new IllegalArgumentException("step '" + step + "' is not declared by any step list");
        }
        if (crashAfter.equals(step)) {
            LOG.warn("halting after step '{}' (biu.crash-after)", step);
            halt.now(step);
        }
    }

    /** Every declared step, in declaration order. */
    public List<String> steps() {
        return new ArrayList<>(steps);
    }
}
