package io.biu.kit.crash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CrashPointsTest {

    private final List<String> halted = new ArrayList<>();

    private static StepList steps(String operation, String... names) {
        return new StepList() {
            @Override
            public String operation() {
                return operation;
            }

            @Override
            public List<String> steps() {
                return List.of(names);
            }
        };
    }

    private CrashPoints crashPoints(String crashAfter) {
        return new CrashPoints(List.of(steps("deploy", "reserved", "started"), steps("remove", "stopped")), crashAfter,
                halted::add);
    }

    @Test
    void haltsRightAfterTheNamedStepOnly() {
        CrashPoints crash = crashPoints("started");
        crash.passed("reserved");
        assertEquals(List.of(), halted);
        crash.passed("started");
        assertEquals(List.of("started"), halted);
    }

    @Test
    void aSettingThatNamesNoDeclaredStepIsRefusedWithTheStepsThereAre() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> crashPoints("strated"));
        assertTrue(e.getMessage().contains("[reserved, started, stopped]"), e.getMessage());
    }

    @Test
    void passingAnUndeclaredStepFailsInATestRun() {
        CrashPoints crash = crashPoints("stopped");
        assertThrows(IllegalArgumentException.class, () -> crash.passed("copied"));
        assertEquals(List.of(), halted);
    }

    @Test
    void withoutASettingNothingEverStopsRealWork() {
        CrashPoints crash = crashPoints("");
        crash.passed("copied");
        crash.passed("stopped");
        assertEquals(List.of(), halted);
    }

    @Test
    void listsEveryDeclaredStepOnceInDeclarationOrder() {
        CrashPoints crash = new CrashPoints(List.of(steps("a", "x", "y"), steps("b", "y", "z")), null, halted::add);
        assertEquals(List.of("x", "y", "z"), crash.steps());
    }
}
