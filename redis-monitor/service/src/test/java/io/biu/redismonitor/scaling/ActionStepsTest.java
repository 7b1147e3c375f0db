package io.biu.redismonitor.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.biu.redismonitor.client.ActionKind;
import io.biu.redismonitor.client.ActionKind.ScaleIn;
import io.biu.redismonitor.client.ActionKind.ScaleOut;
import io.biu.redismonitor.client.ActionState;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Actions' steps as declared by their kinds: the crash points, and the steps an action stores. */
class ActionStepsTest {

    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

    @Test
    void theCrashPointsAreEveryKindsStepsInOrderEachOnce() {
        assertEquals(List.of("recorded", "deployed", "ready", "joined", "done", "draining", "drained", "removed"),
                new ActionSteps().steps());
    }

    @Test
    void anActionStartsAtItsKindsFirstStepAndReadsBackTheStepsItStores() {
        Action out = Action.start(7, "acme", "shop", ActionKind.SCALE_OUT, 2, null, List.of(1L, 2L), NOW);
        assertEquals("recorded", out.step());
        assertEquals(ScaleOut.RECORDED, out.lastStep());
        assertEquals(ActionState.RUNNING, out.state());
        Action deployed = out.at(ScaleOut.DEPLOYED, "deployed 2 containers", NOW);
        assertEquals("deployed", deployed.step());
        assertEquals(ScaleOut.DEPLOYED, deployed.lastStep());
        // a row stored before the steps were typed reads back the same
        assertEquals(ScaleIn.DRAINED, new Action(1L, 7, "acme", "shop", ActionKind.SCALE_IN, 1, 4L,
                ActionState.RUNNING, "drained", "", "", 9L, "drained", NOW, NOW, null).lastStep());
    }

    @Test
    void anActionCannotReachAStepOfAnotherKind() {
        Action in = Action.start(7, "acme", "shop", ActionKind.SCALE_IN, 1, 4L, List.of(), NOW);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> in.at(ScaleOut.DEPLOYED, "", NOW));
        assertEquals("a scale-in has no step deployed", e.getMessage());
    }
}
