package io.biu.redismonitor.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class PolicyTest {

    private static void assertRefused(UnaryOperator<Policy.Builder> change, String... expected) {
        RuntimeException error = assertThrows(RuntimeException.class, () -> change.apply(Policy.builder()).build());
        for (String part : expected) {
            assertTrue(error.getMessage().contains(part), "'" + error.getMessage() + "' should say '" + part + "'");
        }
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        Policy policy = Policy.defaults();
        assertEquals(3, policy.minMasters());
        assertEquals(12, policy.maxMasters());
        assertEquals(0.80, policy.scaleOutMean());
        assertEquals(0.90, policy.scaleOutAny());
        assertNull(policy.opsPerMaster());
        assertNull(policy.cpu());
        assertEquals(0.60, policy.targetMean());
        assertEquals(0.30, policy.scaleInLow());
        assertEquals(Duration.ofMinutes(30), policy.idleWindow());
        assertEquals(Duration.ofSeconds(30), policy.sustain());
        assertEquals(Duration.ofMinutes(5), policy.cooldownAfterOut());
        assertEquals(Duration.ofMinutes(15), policy.cooldownAfterIn());
        assertEquals(Duration.ofMinutes(2), policy.forecastHorizon());
        assertEquals(Duration.ofMinutes(5), policy.growthWindow());
        assertEquals(Duration.ofMinutes(1), policy.staleAfter());
    }

    @Test
    void derivedFiguresFollowTheThresholds() {
        Policy policy = Policy.defaults();
        assertEquals(0.95, policy.emergencyRatio(), 1e-12);
        assertEquals(0.75, policy.headroom(), 1e-12);
        assertEquals(Duration.ofMinutes(31), policy.windowAge());
        assertEquals(1.0, Policy.builder().scaleOutAny(1.0).build().emergencyRatio(), 1e-12);
    }

    @Test
    void toBuilderRoundTrips() {
        Policy policy = Policy.builder().minMasters(1).maxMasters(40).opsPerMaster(50_000.0).cpu(0.7)
                .sustain(Duration.ZERO).build();
        assertEquals(policy, policy.toBuilder().build());
    }

    @Test
    void masterBoundsMustBeOrderedAndPossible() {
        assertRefused(b -> b.minMasters(0), "minMasters must be at least 1");
        assertRefused(b -> b.minMasters(5).maxMasters(4), "maxMasters (4) must be at least minMasters (5)");
        assertRefused(b -> b.maxMasters(20_000), "at most 16384");
        Policy single = Policy.builder().minMasters(1).maxMasters(1).build();
        assertEquals(1, single.maxMasters());
    }

    @Test
    void ratiosMustBeOrderedFromScaleInToScaleOut() {
        assertRefused(b -> b.scaleInLow(0), "scaleInLow must be above 0");
        assertRefused(b -> b.scaleInLow(Double.NaN), "scaleInLow must be above 0");
        assertRefused(b -> b.scaleInLow(0.6), "targetMean (0.6) must be above scaleInLow (0.6)");
        assertRefused(b -> b.targetMean(0.85), "scaleOutMean (0.8) must be above targetMean (0.85)");
        assertRefused(b -> b.scaleOutMean(0.95), "scaleOutAny (0.9) must be at least scaleOutMean (0.95)");
        assertRefused(b -> b.scaleOutAny(1.1), "scaleOutAny must be at most 1");
        Policy equal = Policy.builder().scaleOutMean(0.9).scaleOutAny(0.9).build();
        assertEquals(equal.scaleOutMean(), equal.scaleOutAny());
    }

    @Test
    void optionalThresholdsArePositiveOrOff() {
        assertRefused(b -> b.opsPerMaster(0.0), "opsPerMaster must be a positive number, or null");
        assertRefused(b -> b.cpu(-1.0), "cpu must be a positive number, or null");
        assertRefused(b -> b.cpu(Double.POSITIVE_INFINITY), "cpu must be a positive number");
    }

    @Test
    void durationsMustBeGivenAndNotNegative() {
        assertRefused(b -> b.sustain(Duration.ofSeconds(-1)), "sustain must be zero or more");
        assertRefused(b -> b.idleWindow(null), "idleWindow is required");
        assertRefused(b -> b.cooldownAfterOut(Duration.ofMinutes(-5)), "cooldownAfterOut must be zero or more");
        assertRefused(b -> b.cooldownAfterIn(Duration.ofMinutes(-5)), "cooldownAfterIn must be zero or more");
        assertRefused(b -> b.forecastHorizon(Duration.ofMinutes(-5)), "forecastHorizon must be zero or more");
        assertRefused(b -> b.growthWindow(Duration.ZERO), "growthWindow must be more than zero");
        assertRefused(b -> b.staleAfter(Duration.ZERO), "staleAfter must be more than zero");
        Policy eager = Policy.builder().sustain(Duration.ZERO).idleWindow(Duration.ZERO)
                .cooldownAfterOut(Duration.ZERO).cooldownAfterIn(Duration.ZERO).forecastHorizon(Duration.ZERO).build();
        assertEquals(Duration.ZERO, eager.sustain());
    }
}
