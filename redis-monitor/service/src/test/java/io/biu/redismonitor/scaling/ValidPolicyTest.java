package io.biu.redismonitor.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.redismonitor.api.MonitorError;
import io.biu.redismonitor.api.MonitorException;
import io.biu.redismonitor.client.PolicySettings;
import io.biu.redismonitor.policy.Policy;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class ValidPolicyTest {

    /** Settings with the named fields given and every other field left out, as a request that omits them. */
    private static PolicySettings settings(Map<String, Object> given) {
        RecordComponent[] components = PolicySettings.class.getRecordComponents();
        Set<String> unknown = new HashSet<>(given.keySet());
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            values[i] = given.get(components[i].getName());
            unknown.remove(components[i].getName());
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("PolicySettings has no " + unknown);
        }
        Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        try {
            return PolicySettings.class.getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The message {@link Policy} refuses {@code change} of its defaults with. */
    private static String policyRefusal(UnaryOperator<Policy.Builder> change) {
        return assertThrows(IllegalArgumentException.class, () -> change.apply(Policy.builder()).build()).getMessage();
    }

    private static void assertInvalid(PolicySettings given, int requested, String expectedMessage) {
        MonitorException e = assertThrows(MonitorException.class, () -> ValidPolicy.of(given, requested));
        assertEquals(MonitorError.INVALID, e.error());
        assertEquals(expectedMessage, e.getMessage());
    }

    @Test
    void noSettingsKeepTheCreatedMastersAndTheDefaults() {
        Policy policy = ValidPolicy.of(ValidPolicy.NONE, 3);
        assertEquals(3, policy.minMasters());
        assertEquals(ValidPolicy.DEFAULT_MAX_MASTERS, policy.maxMasters());
        assertEquals(12, policy.maxMasters());
        assertEquals(Policy.defaults(), policy);
    }

    @Test
    void aClusterCreatedWithOneMasterMayShrinkBackToOne() {
        Policy policy = ValidPolicy.of(ValidPolicy.NONE, 1);
        assertEquals(Policy.defaults().toBuilder().minMasters(1).maxMasters(12).build(), policy);
    }

    @Test
    void aClusterCreatedAboveTheDefaultMaximumIsHeldAtItsSize() {
        Policy policy = ValidPolicy.of(ValidPolicy.NONE, 20);
        assertEquals(Policy.defaults().toBuilder().minMasters(20).maxMasters(20).build(), policy);
    }

    @Test
    void explicitBoundsOverrideTheCreatedSize() {
        Policy both = ValidPolicy.of(settings(Map.of("minMasters", 2, "maxMasters", 30)), 3);
        assertEquals(2, both.minMasters());
        assertEquals(30, both.maxMasters());

        Policy onlyMin = ValidPolicy.of(settings(Map.of("minMasters", 5)), 3);
        assertEquals(5, onlyMin.minMasters());
        assertEquals(12, onlyMin.maxMasters());

        Policy minAboveDefaultMax = ValidPolicy.of(settings(Map.of("minMasters", 15)), 3);
        assertEquals(15, minAboveDefaultMax.minMasters());
        assertEquals(15, minAboveDefaultMax.maxMasters());

        Policy onlyMax = ValidPolicy.of(settings(Map.of("maxMasters", 6)), 4);
        assertEquals(4, onlyMax.minMasters());
        assertEquals(6, onlyMax.maxMasters());
    }

    @Test
    void durationsAndRatiosAreApplied() {
        PolicySettings given = settings(Map.ofEntries(
                Map.entry("scaleOutMean", 0.7), Map.entry("scaleOutAny", 0.85), Map.entry("opsPerMaster", 50_000.0),
                Map.entry("cpu", 0.8), Map.entry("targetMean", 0.5), Map.entry("scaleInLow", 0.2),
                Map.entry("idleWindow", "1h"), Map.entry("sustain", "0s"), Map.entry("cooldownAfterOut", "90s"),
                Map.entry("cooldownAfterIn", "PT20M"), Map.entry("forecastHorizon", " 3m "),
                Map.entry("growthWindow", "10m"), Map.entry("staleAfter", "1500ms")));
        Policy expected = Policy.builder().minMasters(3).maxMasters(12).scaleOutMean(0.7).scaleOutAny(0.85)
                .opsPerMaster(50_000.0).cpu(0.8).targetMean(0.5).scaleInLow(0.2).idleWindow(Duration.ofHours(1))
                .sustain(Duration.ZERO).cooldownAfterOut(Duration.ofSeconds(90))
                .cooldownAfterIn(Duration.ofMinutes(20)).forecastHorizon(Duration.ofMinutes(3))
                .growthWindow(Duration.ofMinutes(10)).staleAfter(Duration.ofMillis(1500)).build();
        assertEquals(expected, ValidPolicy.of(given, 3));
    }

    @Test
    void oneFieldChangesOnlyThatField() {
        assertEquals(Policy.defaults().toBuilder().sustain(Duration.ofMinutes(2)).build(),
                ValidPolicy.of(settings(Map.of("sustain", "2m")), 3));
        assertEquals(Policy.defaults().toBuilder().targetMean(0.5).build(),
                ValidPolicy.of(settings(Map.of("targetMean", 0.5)), 3));
    }

    @Test
    void refusesWhatThePolicyRefusesWithItsMessage() {
        assertInvalid(settings(Map.of("scaleInLow", 0.7)), 3, policyRefusal(b -> b.scaleInLow(0.7)));
        assertTrue(policyRefusal(b -> b.scaleInLow(0.7)).contains("targetMean (0.6) must be above scaleInLow (0.7)"));
        assertInvalid(settings(Map.of("minMasters", 5, "maxMasters", 2)), 3,
                policyRefusal(b -> b.minMasters(5).maxMasters(2)));
        assertInvalid(settings(Map.of("opsPerMaster", 0.0)), 3, policyRefusal(b -> b.opsPerMaster(0.0)));
        assertInvalid(settings(Map.of("maxMasters", 2)), 3, "maxMasters (2) is below the 3 masters the cluster was "
                + "created with, its minimum by default: set minMasters too");
        assertInvalid(settings(Map.of("staleAfter", "0s")), 3, policyRefusal(b -> b.staleAfter(Duration.ZERO)));
    }

    @Test
    void refusesADurationThatDoesNotParseNamingTheField() {
        MonitorException e = assertThrows(MonitorException.class,
                () -> ValidPolicy.of(settings(Map.of("growthWindow", "a while")), 3));
        assertEquals(MonitorError.INVALID, e.error());
        assertTrue(e.getMessage().contains("growthWindow"), e.getMessage());
    }

    @Test
    void showsEveryFieldOfAPolicy() {
        PolicySettings shown = ValidPolicy.settings(Policy.defaults());
        assertEquals(new PolicySettings(3, 12, 0.8, 0.9, null, null, 0.6, 0.3, "30m", "30s", "5m", "15m", "2m", "5m",
                "1m"), shown);

        Policy custom = Policy.builder().minMasters(1).maxMasters(40).opsPerMaster(50_000.0).cpu(0.7)
                .sustain(Duration.ZERO).cooldownAfterOut(Duration.ofSeconds(90)).staleAfter(Duration.ofMillis(1500))
                .idleWindow(Duration.ofHours(2)).build();
        assertEquals(new PolicySettings(1, 40, 0.8, 0.9, 50_000.0, 0.7, 0.6, 0.3, "2h", "0s", "90s", "15m", "2m", "5m",
                "1500ms"), ValidPolicy.settings(custom));
    }

    @Test
    void shownPolicyAppliesBackToItself() {
        Policy custom = Policy.builder().minMasters(1).maxMasters(40).scaleOutMean(0.75).scaleOutAny(0.95)
                .opsPerMaster(50_000.0).cpu(0.7).targetMean(0.55).scaleInLow(0.25).idleWindow(Duration.ofHours(2))
                .sustain(Duration.ZERO).cooldownAfterOut(Duration.ofSeconds(90)).cooldownAfterIn(Duration.ofMinutes(7))
                .forecastHorizon(Duration.ofSeconds(45)).growthWindow(Duration.ofMinutes(10))
                .staleAfter(Duration.ofMillis(1500)).build();
        for (Policy policy : new Policy[] {Policy.defaults(), custom}) {
            for (int requested : new int[] {1, 3, 20}) {
                assertEquals(policy, ValidPolicy.of(ValidPolicy.settings(policy), requested),
                        "created with " + requested);
            }
        }
    }
}
