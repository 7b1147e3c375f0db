package io.biu.redismonitor.web;

import static io.biu.redismonitor.web.WebFixtures.policy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.biu.redismonitor.web.WebFixtures.PolicyBuilder;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class WebPolicyTest {

    private static void assertRefused(UnaryOperator<PolicyBuilder> change, String expectedMessage) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> change.apply(policy()).build());
        assertEquals(expectedMessage, e.getMessage());
    }

    private static void assertMissing(UnaryOperator<PolicyBuilder> change, String expectedMessage) {
        NullPointerException e = assertThrows(NullPointerException.class, () -> change.apply(policy()).build());
        assertEquals(expectedMessage, e.getMessage());
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        WebPolicy policy = WebPolicy.defaults();
        assertEquals(2, policy.minContainers());
        assertEquals(20, policy.maxContainers());
        assertEquals(100, policy.targetRps());
        assertEquals(1.0, policy.scaleOutRatio());
        assertEquals(0.5, policy.scaleInRatio());
        assertEquals(Duration.ofSeconds(30), policy.sustain());
        assertEquals(Duration.ofMinutes(5), policy.idleWindow());
        assertEquals(Duration.ofMinutes(1), policy.cooldownAfterOut());
        assertEquals(Duration.ofMinutes(3), policy.cooldownAfterIn());
        assertEquals(Duration.ofMinutes(1), policy.staleAfter());
    }

    @Test
    void theWindowReachesBackOverTheLongerRuleAndOneStaleSample() {
        assertEquals(Duration.ofMinutes(6), WebPolicy.defaults().windowAge());
        assertEquals(Duration.ofMinutes(12), policy().sustain(Duration.ofMinutes(10)).staleAfter(Duration.ofMinutes(2))
                .build().windowAge());
    }

    @Test
    void containerBoundsMustBeOrderedAndAtLeastOne() {
        assertRefused(b -> b.containers(0, 20), "minContainers must be at least 1, not 0");
        assertRefused(b -> b.containers(-3, 20), "minContainers must be at least 1, not -3");
        assertRefused(b -> b.containers(5, 4), "maxContainers (4) must be at least minContainers (5)");
        assertEquals(1, policy().containers(1, 1).build().maxContainers());
    }

    @Test
    void theTargetRateMustBeAPositiveFiniteNumber() {
        assertRefused(b -> b.targetRps(0), "targetRps must be a positive number of requests per second, not 0.0");
        assertRefused(b -> b.targetRps(-5), "targetRps must be a positive number of requests per second, not -5.0");
        assertRefused(b -> b.targetRps(Double.NaN),
                "targetRps must be a positive number of requests per second, not NaN");
        assertRefused(b -> b.targetRps(Double.POSITIVE_INFINITY),
                "targetRps must be a positive number of requests per second, not Infinity");
        assertEquals(0.5, policy().targetRps(0.5).build().targetRps());
    }

    @Test
    void theScaleInRatioMustBeAboveZeroAndBelowTheScaleOutRatio() {
        assertRefused(b -> b.ratios(1.0, 0), "scaleInRatio (0.0) must be above 0 and below scaleOutRatio (1.0)");
        assertRefused(b -> b.ratios(1.0, -0.1), "scaleInRatio (-0.1) must be above 0 and below scaleOutRatio (1.0)");
        assertRefused(b -> b.ratios(0.5, 0.5), "scaleInRatio (0.5) must be above 0 and below scaleOutRatio (0.5)");
        assertRefused(b -> b.ratios(0.4, 0.6), "scaleInRatio (0.6) must be above 0 and below scaleOutRatio (0.4)");
        assertRefused(b -> b.ratios(1.0, Double.NaN),
                "scaleInRatio (NaN) must be above 0 and below scaleOutRatio (1.0)");
        assertRefused(b -> b.ratios(Double.NaN, 0.5),
                "scaleInRatio (0.5) must be above 0 and below scaleOutRatio (NaN)");
        assertRefused(b -> b.ratios(Double.POSITIVE_INFINITY, 0.5),
                "scaleInRatio (0.5) must be above 0 and below scaleOutRatio (Infinity)");
        assertEquals(1.5, policy().ratios(1.5, 0.9).build().scaleOutRatio());
    }

    @Test
    void aNegativeDurationIsRefusedNamingItsField() {
        Duration negative = Duration.ofSeconds(-1);
        assertRefused(b -> b.sustain(negative), "sustain cannot be negative: PT-1S");
        assertRefused(b -> b.idleWindow(negative), "idleWindow cannot be negative: PT-1S");
        assertRefused(b -> b.cooldowns(negative, Duration.ZERO), "cooldownAfterOut cannot be negative: PT-1S");
        assertRefused(b -> b.cooldowns(Duration.ZERO, negative), "cooldownAfterIn cannot be negative: PT-1S");
        assertRefused(b -> b.staleAfter(negative), "staleAfter cannot be negative: PT-1S");
        assertRefused(b -> b.idleWindow(Duration.ofMillis(-1500)), "idleWindow cannot be negative: PT-1.5S");
        assertRefused(b -> b.staleAfter(Duration.ofMinutes(-2)), "staleAfter cannot be negative: PT-2M");
    }

    @Test
    void aMissingDurationIsRefusedNamingItsField() {
        assertMissing(b -> b.sustain(null), "sustain is required");
        assertMissing(b -> b.idleWindow(null), "idleWindow is required");
        assertMissing(b -> b.cooldowns(null, Duration.ZERO), "cooldownAfterOut is required");
        assertMissing(b -> b.cooldowns(Duration.ZERO, null), "cooldownAfterIn is required");
        assertMissing(b -> b.staleAfter(null), "staleAfter is required");
    }

    @Test
    void durationsAreCheckedInTheOrderOfTheFields() {
        assertRefused(b -> b.sustain(Duration.ofSeconds(-1)).staleAfter(Duration.ofSeconds(-2)),
                "sustain cannot be negative: PT-1S");
        assertMissing(b -> b.idleWindow(null).cooldowns(Duration.ofSeconds(-1), null), "idleWindow is required");
        assertRefused(b -> b.cooldowns(Duration.ofSeconds(-1), Duration.ZERO).staleAfter(Duration.ZERO),
                "cooldownAfterOut cannot be negative: PT-1S");
    }

    @Test
    void everyDurationButStaleAfterMayBeZero() {
        assertRefused(b -> b.staleAfter(Duration.ZERO), "staleAfter must be more than zero");
        WebPolicy eager = policy().sustain(Duration.ZERO).idleWindow(Duration.ZERO)
                .cooldowns(Duration.ZERO, Duration.ZERO).build();
        assertEquals(Duration.ZERO, eager.sustain());
        assertEquals(Duration.ZERO, eager.cooldownAfterIn());
    }
}
