package io.biu.redismonitor.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.biu.redismonitor.client.ActionKind;
import io.biu.redismonitor.client.ActionState;
import io.biu.scheduler.client.TokenKind;
import io.biu.scheduler.client.api.Caller;
import io.micronaut.serde.ObjectMapper;
import io.micronaut.serde.ObjectMapper.CloseableObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The audit trail's API over decisions and actions stored as the service always stored them: its answer must be,
 * to the character, what the service answered before its views were the contract's records.
 */
class DecisionControllerTest {

    private static final Instant T = Instant.parse("2026-12-04T10:00:00Z");
    private static final Instant T2 = Instant.parse("2026-12-04T10:01:30.250Z");
    private static final String SCALE_OUT_INPUTS = "{\"meanRatio\":0.81,"
            + "\"maxRatio\":0.9,\"usedBytes\":1000,\"maxBytes\":2000,"
            + "\"opsPerSecond\":12.5,\"cpu\":0.3,\"growthBytesPerSecond\":100.0,"
            + "\"heldForSeconds\":30,\"masters\":3,\"mastersWanted\":5,\"taskRunning\":false,"
            + "\"capacity\":2,\"lastAction\":\"scale-in\",\"lastActionAt\":\"2026-12-04T10:00:00Z\"}";
    private static final String BLOCKED_INPUTS = "{\"meanRatio\":0.5,"
            + "\"maxRatio\":0.6,\"usedBytes\":1,\"maxBytes\":2,\"opsPerSecond\":0.0,"
            + "\"cpu\":0.0,\"growthBytesPerSecond\":0.0,\"secondsToThreshold\":12.0,"
            + "\"heldForSeconds\":0,\"masters\":1,\"mastersWanted\":2,\"taskRunning\":true,"
            + "\"capacity\":0,\"capacityNote\":\"pod lab is full\"}";
    /** The decisions as the service wrote them, newest first. */
    private static final String ANSWER = "["
            + "{\"id\":2,\"cluster\":7,\"clusterName\":\"shop\",\"at\":\"2026-12-04T10:01:30.250Z\","
            + "\"decision\":\"blocked\",\"masters\":0,\"reason\":\"no-capacity\","
            + "\"trigger\":\"below-minimum\",\"why\":\"pod lab is full\",\"inputs\":{\"meanRatio\":0.5,"
            + "\"maxRatio\":0.6,\"usedBytes\":1,\"maxBytes\":2,\"opsPerSecond\":0.0,\"cpu\":0.0,"
            + "\"growthBytesPerSecond\":0.0,\"secondsToThreshold\":12.0,\"heldForSeconds\":0,"
            + "\"masters\":1,\"mastersWanted\":2,\"taskRunning\":true,\"capacity\":0,"
            + "\"capacityNote\":\"pod lab is full\"},\"action\":{\"id\":6,\"kind\":\"scale-in\","
            + "\"state\":\"done\",\"step\":\"removed\",\"masters\":1,\"drained\":41,\"containers\":[],"
            + "\"task\":9,\"detail\":\"removed a master (2 instances)\","
            + "\"createdAt\":\"2026-12-04T10:00:00Z\",\"finishedAt\":\"2026-12-04T10:01:30.250Z\"}}"
            + ","
            + "{\"id\":1,\"cluster\":7,\"clusterName\":\"shop\",\"at\":\"2026-12-04T10:00:00Z\","
            + "\"decision\":\"scale-out\",\"masters\":2,\"reason\":\"memory-mean\","
            + "\"inputs\":{\"meanRatio\":0.81,\"maxRatio\":0.9,\"usedBytes\":1000,\"maxBytes\":2000,"
            + "\"opsPerSecond\":12.5,\"cpu\":0.3,\"growthBytesPerSecond\":100.0,"
            + "\"heldForSeconds\":30,\"masters\":3,\"mastersWanted\":5,\"taskRunning\":false,"
            + "\"capacity\":2,\"lastAction\":\"scale-in\",\"lastActionAt\":\"2026-12-04T10:00:00Z\"},"
            + "\"action\":{\"id\":5,\"kind\":\"scale-out\",\"state\":\"running\",\"step\":\"deployed\","
            + "\"masters\":2,\"containers\":[11,12],\"detail\":\"deployed 2 containers\","
            + "\"createdAt\":\"2026-12-04T10:00:00Z\"}}"
            + "]";

    @Test
    void decisionsAndTheirActionsAreAnsweredInTheJsonCallersRead() throws IOException {
        MemoryDecisions decisions = new MemoryDecisions();
        MemoryActions actions = new MemoryActions();
        actions.save(new Action(5L, 7, "acme", "shop", ActionKind.SCALE_OUT, 2, null, ActionState.RUNNING, "deployed",
                "1,2,3", "11,12", null, "deployed 2 containers", T, T, null));
        actions.save(new Action(6L, 7, "acme", "shop", ActionKind.SCALE_IN, 1, 41L, ActionState.DONE, "removed", "",
                "", 9L, "removed a master (2 instances)", T, T2, T2));
        decisions.save(new DecisionRow(1L, 7, "acme", "shop", T, "SCALE_OUT", 2, "MEMORY_MEAN", null, null,
                SCALE_OUT_INPUTS, 5L));
        decisions.save(new DecisionRow(2L, 7, "acme", "shop", T2, "BLOCKED", 0, "NO_CAPACITY", "BELOW_MINIMUM",
                "pod lab is full", BLOCKED_INPUTS, 6L));
        try (CloseableObjectMapper json = ObjectMapper.create(Map.of("micronaut.serde.serialization.inclusion",
                "non_absent"))) {
            DecisionController controller = new DecisionController(decisions, actions,
                    new Clusters(new FakeRedisCtl(new FakeScheduler(), 1, 0)), json);
            assertEquals(ANSWER, json.writeValueAsString(controller.list(new Caller("acme", TokenKind.TENANT, "acme"), null,
                    null)));
        }
    }
}
