package io.biu.redismonitor.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.biu.redismonitor.client.ActionKind;
import io.biu.redismonitor.client.DecisionKind;
import io.biu.redismonitor.client.DecisionReason;
import io.biu.redismonitor.client.Inputs;
import io.biu.redismonitor.policy.Context;
import io.biu.redismonitor.policy.Decision;
import io.biu.redismonitor.policy.Numbers;
import io.biu.redismonitor.policy.Reason;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How decisions are recorded, and named in the API's terms. */
class AuditTest {

    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");
    private static final Numbers NUMBERS = new Numbers(0.85, 0.9, 850, 1000, 10, 0.1, 2.5, null, 40, 3, 4);

    @Test
    void everyReasonThePolicyGivesIsOneTheApiNames() {
        // recorded decisions store the policy's reason by name and are shown as the contract's reason of that name
        assertEquals(Arrays.stream(Reason.values()).map(Enum::name).toList(),
                Arrays.stream(DecisionReason.values()).map(Enum::name).toList());
    }

    @Test
    void decisionsAreRecordedByTheirKind() {
        assertEquals(DecisionKind.SCALE_OUT, Audit.kind(new Decision.ScaleOut(1, Reason.MEMORY_MEAN, NUMBERS)));
        assertEquals(DecisionKind.SCALE_IN, Audit.kind(new Decision.ScaleIn(Reason.IDLE, NUMBERS)));
        assertEquals(DecisionKind.HOLD, Audit.kind(new Decision.Hold(Reason.COOLDOWN, Reason.MEMORY_MEAN, NUMBERS,
                true)));
        assertEquals(DecisionKind.BLOCKED, Audit.kind(new Decision.Blocked(Reason.NO_CAPACITY, Reason.MEMORY_MEAN,
                NUMBERS, "pod lab is full")));
    }

    @Test
    void inputsNameTheLastActionByItsKindAndTheCapacityOnlyWhenAsked() {
        Context context = new Context(NOW, 3, Context.LastAction.scaleIn(NOW.minusSeconds(60)), false,
                Context.Capacity.none("pod lab is full"));
        Inputs asked = Audit.inputs(NUMBERS, context, true);
        assertEquals(ActionKind.SCALE_IN, asked.lastAction());
        assertEquals(NOW.minusSeconds(60), asked.lastActionAt());
        assertEquals(0, asked.capacity());
        assertEquals("pod lab is full", asked.capacityNote());
        assertEquals(List.of(0.85, 0.9), List.of(asked.meanRatio(), asked.maxRatio()));

        Inputs notAsked = Audit.inputs(NUMBERS, new Context(NOW, 3, Context.LastAction.scaleOut(NOW), true,
                Context.Capacity.of(2)), false);
        assertEquals(ActionKind.SCALE_OUT, notAsked.lastAction());
        assertNull(notAsked.capacity());
        assertNull(notAsked.capacityNote());
    }
}
