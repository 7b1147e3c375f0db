package io.biu.redismonitor.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micronaut.serde.ObjectMapper.CloseableObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The API's JSON as the service writes it (Micronaut Serialization, leaving out absent fields as the service is
 * configured to) and as the command-line client reads it (Jackson). The expected documents are those the service wrote
 * before its views were this module's records: callers read them untyped, so not a character may change.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WireFormatTest {

    private static final Instant T = Instant.parse("2026-12-04T10:00:00Z");
    private static final Instant T2 = Instant.parse("2026-12-04T10:01:30.250Z");

    private final CloseableObjectMapper serde = io.micronaut.serde.ObjectMapper.create(
            Map.of("micronaut.serde.serialization.inclusion", "non_absent"));
    private final ObjectMapper jackson = new ObjectMapper().findAndRegisterModules()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    @AfterAll
    void close() {
        serde.close();
    }

    private static DecisionView scaleOut() {
        return new DecisionView(1, 7, "shop", T, DecisionKind.SCALE_OUT, 2, DecisionReason.MEMORY_MEAN, null, null,
                new Inputs(0.81, 0.9, 1000, 2000, 12.5, 0.3, 100.0, null, 30, 3, 5, false, 2, null,
                        ActionKind.SCALE_IN, T),
                new ActionView(5, ActionKind.SCALE_OUT, ActionState.RUNNING, "deployed", 2, null, List.of(11L, 12L),
                        null, "deployed 2 containers", T, null));
    }

    private static DecisionView blocked() {
        return new DecisionView(2, 7, "shop", T2, DecisionKind.BLOCKED, 0, DecisionReason.NO_CAPACITY,
                DecisionReason.BELOW_MINIMUM, "pod lab is full",
                new Inputs(0.5, 0.6, 1, 2, 0, 0, 0, 12.0, 0, 1, 2, true, 0, "pod lab is full", null, null),
                new ActionView(6, ActionKind.SCALE_IN, ActionState.DONE, "removed", 1, 41L, List.of(), 9L,
                        "removed a master (2 instances)", T, T2));
    }

    private static PolicyView policy() {
        return new PolicyView(7, "shop", new PolicySettings(null, 6, null, null, 1000.0, null, null, null, null, "2s",
                null, null, null, null, null), new PolicySettings(3, 12, 0.8, 0.9, null, null, 0.6, 0.3, "30m", "30s",
                "5m", "15m", "2m", "5m", "1m"), T2);
    }

    private static WebPolicyView webPolicy() {
        return new WebPolicyView("web", new WebPolicySettings(3, null, 250.0, null, null, "0s", null, null, null,
                null), new WebPolicySettings(3, 20, 250.0, 1.0, 0.5, "0s", "5m", "1m", "3m", "1m"), T);
    }

    private static WebDecisionView webBlocked() {
        return new WebDecisionView(4, "web", T, DecisionKind.BLOCKED, 2, 4, "blocked", 0.0, "the scheduler refused");
    }

    @Test
    void decisionsAreWrittenWithEnumsInLowerCaseWithDashesAndAbsentFieldsLeftOut() throws IOException {
        assertEquals("{\"id\":1,\"cluster\":7,\"clusterName\":\"shop\",\"at\":\"2026-12-04T10:00:00Z\","
                + "\"decision\":\"scale-out\",\"masters\":2,\"reason\":\"memory-mean\",\"inputs\":{\"meanRatio\":0.81,"
                + "\"maxRatio\":0.9,\"usedBytes\":1000,\"maxBytes\":2000,\"opsPerSecond\":12.5,\"cpu\":0.3,"
                + "\"growthBytesPerSecond\":100.0,\"heldForSeconds\":30,\"masters\":3,\"mastersWanted\":5,"
                + "\"taskRunning\":false,\"capacity\":2,\"lastAction\":\"scale-in\","
                + "\"lastActionAt\":\"2026-12-04T10:00:00Z\"},\"action\":{\"id\":5,\"kind\":\"scale-out\","
                + "\"state\":\"running\",\"step\":\"deployed\",\"masters\":2,\"containers\":[11,12],"
                + "\"detail\":\"deployed 2 containers\",\"createdAt\":\"2026-12-04T10:00:00Z\"}}",
                serde.writeValueAsString(scaleOut()));
        assertEquals("{\"id\":2,\"cluster\":7,\"clusterName\":\"shop\",\"at\":\"2026-12-04T10:01:30.250Z\","
                + "\"decision\":\"blocked\",\"masters\":0,\"reason\":\"no-capacity\",\"trigger\":\"below-minimum\","
                + "\"why\":\"pod lab is full\",\"inputs\":{\"meanRatio\":0.5,\"maxRatio\":0.6,\"usedBytes\":1,"
                + "\"maxBytes\":2,\"opsPerSecond\":0.0,\"cpu\":0.0,\"growthBytesPerSecond\":0.0,"
                + "\"secondsToThreshold\":12.0,\"heldForSeconds\":0,\"masters\":1,\"mastersWanted\":2,"
                + "\"taskRunning\":true,\"capacity\":0,\"capacityNote\":\"pod lab is full\"},\"action\":{\"id\":6,"
                + "\"kind\":\"scale-in\",\"state\":\"done\",\"step\":\"removed\",\"masters\":1,\"drained\":41,"
                + "\"containers\":[],\"task\":9,\"detail\":\"removed a master (2 instances)\","
                + "\"createdAt\":\"2026-12-04T10:00:00Z\",\"finishedAt\":\"2026-12-04T10:01:30.250Z\"}}",
                serde.writeValueAsString(blocked()));
    }

    @Test
    void policiesShowOnlyTheChosenSettingsBesideEveryOneInForce() throws IOException {
        assertEquals("{\"cluster\":7,\"clusterName\":\"shop\",\"chosen\":{\"maxMasters\":6,\"opsPerMaster\":1000.0,"
                + "\"sustain\":\"2s\"},\"policy\":{\"minMasters\":3,\"maxMasters\":12,\"scaleOutMean\":0.8,"
                + "\"scaleOutAny\":0.9,\"targetMean\":0.6,\"scaleInLow\":0.3,\"idleWindow\":\"30m\",\"sustain\":\"30s\","
                + "\"cooldownAfterOut\":\"5m\",\"cooldownAfterIn\":\"15m\",\"forecastHorizon\":\"2m\","
                + "\"growthWindow\":\"5m\",\"staleAfter\":\"1m\"},\"updatedAt\":\"2026-12-04T10:01:30.250Z\"}",
                serde.writeValueAsString(policy()));
        PolicyView defaults = new PolicyView(7, "shop", null, policy().policy(), null);
        assertEquals("{\"cluster\":7,\"clusterName\":\"shop\",\"policy\":" + serde.writeValueAsString(
                policy().policy()) + "}", serde.writeValueAsString(defaults));
    }

    @Test
    void webViewsAreWrittenAsBefore() throws IOException {
        assertEquals("{\"app\":\"web\",\"chosen\":{\"minContainers\":3,\"targetRps\":250.0,\"sustain\":\"0s\"},"
                + "\"policy\":{\"minContainers\":3,\"maxContainers\":20,\"targetRps\":250.0,\"scaleOutRatio\":1.0,"
                + "\"scaleInRatio\":0.5,\"sustain\":\"0s\",\"idleWindow\":\"5m\",\"cooldownAfterOut\":\"1m\","
                + "\"cooldownAfterIn\":\"3m\",\"staleAfter\":\"1m\"},\"updatedAt\":\"2026-12-04T10:00:00Z\"}",
                serde.writeValueAsString(webPolicy()));
        assertEquals("{\"id\":4,\"app\":\"web\",\"at\":\"2026-12-04T10:00:00Z\",\"decision\":\"blocked\","
                + "\"containers\":2,\"wanted\":4,\"reason\":\"blocked\",\"rps\":0.0,\"why\":\"the scheduler refused\"}",
                serde.writeValueAsString(webBlocked()));
    }

    @Test
    void whatTheServiceWritesTheClientReadsBack() throws IOException {
        for (DecisionView d : List.of(scaleOut(), blocked())) {
            String json = serde.writeValueAsString(d);
            assertEquals(d, jackson.readValue(json, DecisionView.class));
            assertEquals(d, serde.readValue(json, DecisionView.class));
        }
        assertEquals(policy(), jackson.readValue(serde.writeValueAsString(policy()), PolicyView.class));
        assertEquals(webPolicy(), jackson.readValue(serde.writeValueAsString(webPolicy()), WebPolicyView.class));
        assertEquals(webBlocked(), jackson.readValue(serde.writeValueAsString(webBlocked()), WebDecisionView.class));
    }

    @Test
    void fieldsAServiceAddsLaterDoNotBreakTheClient() throws IOException {
        String json = serde.writeValueAsString(blocked()).replace("{\"id\":2,", "{\"id\":2,\"priority\":\"high\",");
        assertEquals(blocked(), jackson.readValue(json, DecisionView.class));
    }

    @Test
    void anUnknownKindIsRefusedNamingTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DecisionKind.of("panic"));
        assertEquals("'panic' is not one of scale-out, scale-in, hold, blocked", e.getMessage());
    }

    @Test
    void stepsAreNamedAsStoredActionsNameThem() {
        assertEquals(List.of("recorded", "deployed", "ready", "joined", "done"), ActionKind.SCALE_OUT.stepIds());
        assertEquals(List.of("recorded", "draining", "drained", "removed"), ActionKind.SCALE_IN.stepIds());
        assertEquals(ActionKind.ScaleIn.DRAINED, ActionKind.SCALE_IN.step("drained"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ActionKind.SCALE_IN.step("deployed"));
        assertEquals("a scale-in has no step 'deployed': its steps are [recorded, draining, drained, removed]",
                e.getMessage());
    }
}
