package io.biu.redismonitor.web;

import static io.biu.redismonitor.web.WebFixtures.DEFAULTS;
import static io.biu.redismonitor.web.WebFixtures.policy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.redismonitor.api.MonitorError;
import io.biu.redismonitor.api.MonitorException;
import io.biu.redismonitor.client.WebPolicySettings;
import io.micronaut.serde.ObjectMapper;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ValidWebPolicyTest {

    /** Settings with the named fields given and every other field left out, as a request that omits them. */
    private static WebPolicySettings settings(Map<String, Object> given) {
        RecordComponent[] components = WebPolicySettings.class.getRecordComponents();
        Set<String> unknown = new HashSet<>(given.keySet());
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            values[i] = given.get(components[i].getName());
            unknown.remove(components[i].getName());
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("WebPolicySettings has no " + unknown);
        }
        Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        try {
            return WebPolicySettings.class.getDeclaredConstructor(types).newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertInvalid(Map<String, Object> given, String expectedMessage) {
        MonitorException e = assertThrows(MonitorException.class, () -> ValidWebPolicy.of(settings(given)));
        assertEquals(MonitorError.INVALID, e.error());
        assertEquals(expectedMessage, e.getMessage());
    }

    @Test
    void noSettingsGiveTheDefaults() {
        assertEquals(WebPolicy.defaults(), ValidWebPolicy.of(settings(Map.of())));
    }

    @Test
    void everyFieldIsApplied() {
        WebPolicySettings given = settings(Map.ofEntries(Map.entry("minContainers", 3),
                Map.entry("maxContainers", 40), Map.entry("targetRps", 250.0), Map.entry("scaleOutRatio", 0.9),
                Map.entry("scaleInRatio", 0.4), Map.entry("sustain", "0s"), Map.entry("idleWindow", "PT20M"),
                Map.entry("cooldownAfterOut", "90s"), Map.entry("cooldownAfterIn", " 10m "),
                Map.entry("staleAfter", "1500ms")));
        WebPolicy expected = new WebPolicy(3, 40, 250, 0.9, 0.4, Duration.ZERO, Duration.ofMinutes(20),
                Duration.ofSeconds(90), Duration.ofMinutes(10), Duration.ofMillis(1500));
        assertEquals(expected, ValidWebPolicy.of(given));
    }

    @Test
    void oneFieldChangesOnlyThatField() {
        assertEquals(policy().sustain(Duration.ofMinutes(2)).build(),
                ValidWebPolicy.of(settings(Map.of("sustain", "2m"))));
        assertEquals(policy().targetRps(40).build(), ValidWebPolicy.of(settings(Map.of("targetRps", 40.0))));
        assertEquals(policy().containers(2, 8).build(),
                ValidWebPolicy.of(settings(Map.of("maxContainers", 8))));
        assertEquals(policy().containers(5, 20).build(),
                ValidWebPolicy.of(settings(Map.of("minContainers", 5))));
    }

    @Test
    void aMinimumAboveTheDefaultMaximumRaisesTheMaximumWithIt() {
        assertEquals(policy().containers(25, 25).build(),
                ValidWebPolicy.of(settings(Map.of("minContainers", 25))));
        assertEquals(policy().containers(25, 30).build(),
                ValidWebPolicy.of(settings(Map.of("minContainers", 25, "maxContainers", 30))));
    }

    @Test
    void refusesWhatThePolicyRefusesWithItsMessage() {
        assertInvalid(Map.of("minContainers", 0), "minContainers must be at least 1, not 0");
        assertInvalid(Map.of("maxContainers", 1), "maxContainers (1) must be at least minContainers (2)");
        assertInvalid(Map.of("minContainers", 6, "maxContainers", 4),
                "maxContainers (4) must be at least minContainers (6)");
        assertInvalid(Map.of("targetRps", 0.0), "targetRps must be a positive number of requests per second, not 0.0");
        assertInvalid(Map.of("scaleInRatio", 1.2), "scaleInRatio (1.2) must be above 0 and below scaleOutRatio (1.0)");
        assertInvalid(Map.of("scaleOutRatio", 0.5), "scaleInRatio (0.5) must be above 0 and below scaleOutRatio (0.5)");
        assertInvalid(Map.of("staleAfter", "0s"), "staleAfter must be more than zero");
        assertInvalid(Map.of("cooldownAfterIn", "PT-1M"), "cooldownAfterIn cannot be negative: PT-1M");
    }

    @Test
    void refusesANegativeDurationNamingTheField() {
        assertInvalid(Map.of("sustain", "PT-30S"), "sustain cannot be negative: PT-30S");
        assertInvalid(Map.of("idleWindow", "-PT5M"), "idleWindow cannot be negative: PT-5M");
        assertInvalid(Map.of("cooldownAfterOut", "PT-90S"), "cooldownAfterOut cannot be negative: PT-1M-30S");
        assertInvalid(Map.of("cooldownAfterIn", " PT-1M "), "cooldownAfterIn cannot be negative: PT-1M");
        assertInvalid(Map.of("staleAfter", "-PT1H"), "staleAfter cannot be negative: PT-1H");
    }

    @Test
    void refusesADurationThatDoesNotParseNamingTheField() {
        MonitorException e = assertThrows(MonitorException.class,
                () -> ValidWebPolicy.of(settings(Map.of("idleWindow", "a while"))));
        assertEquals(MonitorError.INVALID, e.error());
        assertTrue(e.getMessage().contains("idleWindow 'a while'"), e.getMessage());
    }

    @Test
    void showsEveryFieldOfAPolicy() {
        assertEquals(new WebPolicySettings(2, 20, 100.0, 1.0, 0.5, "30s", "5m", "1m", "3m", "1m"),
                ValidWebPolicy.settings(DEFAULTS));
        WebPolicy custom = new WebPolicy(1, 40, 12.5, 1.2, 0.3, Duration.ZERO, Duration.ofHours(2),
                Duration.ofSeconds(90), Duration.ofMinutes(7), Duration.ofMillis(1500));
        assertEquals(new WebPolicySettings(1, 40, 12.5, 1.2, 0.3, "0s", "2h", "90s", "7m", "1500ms"),
                ValidWebPolicy.settings(custom));
    }

    @Test
    void aShownPolicyAppliesBackToItself() {
        WebPolicy custom = new WebPolicy(1, 40, 12.5, 1.2, 0.3, Duration.ZERO, Duration.ofHours(2),
                Duration.ofSeconds(90), Duration.ofMinutes(7), Duration.ofMillis(1500));
        WebPolicy large = policy().containers(30, 30).build();
        for (WebPolicy policy : new WebPolicy[] {DEFAULTS, custom, large}) {
            assertEquals(policy, ValidWebPolicy.of(ValidWebPolicy.settings(policy)));
        }
    }

    @Test
    void aRequestThatLeavesFieldsOutReadsThemAsDefaults() throws IOException {
        ObjectMapper json = ObjectMapper.getDefault();
        WebPolicySettings read = json.readValue("{\"minContainers\": 3, \"sustain\": \"1m\"}",
                WebPolicySettings.class);
        assertEquals(settings(Map.of("minContainers", 3, "sustain", "1m")), read);
        assertEquals(policy().containers(3, 20).sustain(Duration.ofMinutes(1)).build(), ValidWebPolicy.of(read));
        WebPolicySettings shown = ValidWebPolicy.settings(DEFAULTS);
        assertEquals(shown, json.readValue(json.writeValueAsString(shown), WebPolicySettings.class));
    }
}
