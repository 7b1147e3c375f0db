package io.biu.cli.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressLineTest {

    static TaskSnapshot task(String state, String step, int done, String progress, String error) {
        return new TaskSnapshot("join", state, step, done, 7, progress, error, Duration.ofSeconds(3));
    }

    @Test
    void aStepShowsItsNumberNameAndReport() {
        assertEquals("[1/7] meet: 0 of 2 instances know every other",
                ProgressLine.render(task("running", "meet", 0, "0 of 2 instances know every other", null)));
        assertEquals("[4/7] fix-open-slots", ProgressLine.render(task("running", "fix-open-slots", 3, "", null)));
    }

    @Test
    void aMigrationShowsABarKeysSlotsRateAndTimeLeft() {
        String line = ProgressLine.render(task("running", "migrate", 5, "moved 4 of 8 slots, 1500 of about 3000 "
                + "keys (500 keys/s), about 75 s left", null));
        assertEquals("[6/7] migrate [##########..........]  50% 1500/3000 keys, 4/8 slots, 500 keys/s, about "
                + "1 min 15 s left", line);
    }

    @Test
    void aRetriedStepSaysWhy() {
        assertEquals("[3/7] activate (retrying: node2 did not answer)",
                ProgressLine.render(task("running", "activate", 2, "", "node2 did not answer")));
    }

    @Test
    void aPendingTaskWaitsForItsRunner() {
        assertEquals("waiting for redis-ctl to start the join task",
                ProgressLine.render(task("pending", "meet", 0, "", null)));
    }

    @Test
    void theBarIsClampedToItsWidth() {
        assertEquals("[" + ".".repeat(20) + "]", ProgressLine.bar(-1));
        assertEquals("[" + "#".repeat(20) + "]", ProgressLine.bar(2));
    }

    @Test
    void aSnapshotPastItsLastStepIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> task("running", "x", 8, "", null));
    }
}
