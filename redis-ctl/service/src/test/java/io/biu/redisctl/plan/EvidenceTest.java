package io.biu.redisctl.plan;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.redisctl.plan.Evidence.Container;
import io.biu.redisctl.plan.Evidence.Observation;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Healing acts on the data plane's evidence, never on the control plane's word alone. */
class EvidenceTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final Duration LONG = Duration.ofSeconds(3);

    private static Evidence.Verdict of(boolean answers, Duration silent, Container c, int survivors, int fail,
            int suspect) {
        return Evidence.of(new Observation(answers, silent, TIMEOUT, c, survivors, fail, suspect));
    }

    @Test
    void anInstanceThatAnswersIsNeverFailedWhateverTheControlPlaneSays() {
        assertInstanceOf(Evidence.Alive.class, of(true, Duration.ZERO, Container.RUNNING, 5, 0, 0));
        // a hung dockerd: its node is down, its containers lost, but Redis serves
        Evidence.Verdict lost = of(true, Duration.ZERO, Container.LOST, 5, 0, 0);
        assertInstanceOf(Evidence.Wait.class, lost);
        assertTrue(lost.why().contains("lost"), lost.why());
        assertInstanceOf(Evidence.Wait.class, of(true, Duration.ZERO, Container.NOT_RUNNING, 5, 0, 0));
    }

    @Test
    void silenceNoLongerThanTheNodeTimeoutIsNoEvidence() {
        assertInstanceOf(Evidence.Wait.class, of(false, TIMEOUT, Container.LOST, 5, 5, 5));
        assertInstanceOf(Evidence.Failed.class, of(false, TIMEOUT.plusMillis(1), Container.LOST, 5, 5, 5));
    }

    @Test
    void theClusterMustAgree() {
        // redis-ctl cannot reach it, but members still do: redis-ctl's own network is the problem
        assertInstanceOf(Evidence.Wait.class, of(false, LONG, Container.LOST, 5, 0, 4));
        // nobody answers at all: no confirmation either way
        assertInstanceOf(Evidence.Wait.class, of(false, LONG, Container.LOST, 0, 0, 0));
        // one fail flag is the majority's verdict (Redis sets it only then)
        assertInstanceOf(Evidence.Failed.class, of(false, LONG, Container.LOST, 5, 1, 1));
        // too few masters for a majority: every member that answers suspects it
        assertInstanceOf(Evidence.Failed.class, of(false, LONG, Container.LOST, 2, 0, 2));
    }

    @Test
    void failedOnlyOnceFenced() {
        assertInstanceOf(Evidence.Failed.class, of(false, LONG, Container.NOT_RUNNING, 5, 5, 5));
        assertInstanceOf(Evidence.Failed.class, of(false, LONG, Container.LOST, 5, 5, 5));
        // its engine says it runs: stop it before anyone takes over
        assertInstanceOf(Evidence.Fence.class, of(false, LONG, Container.RUNNING, 5, 5, 5));
    }

    @Test
    void impossibleCountsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> of(false, LONG, Container.LOST, 2, 3, 3));
        assertThrows(IllegalArgumentException.class, () -> of(false, LONG, Container.LOST, 2, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> of(false, LONG, Container.LOST, -1, 0, 0));
    }
}
