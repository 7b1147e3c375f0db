package io.biu.cli.render;

import java.time.Duration;

/**
 * A redis-ctl task as one look at it found it.
 *
 * @param kind form, join, drain, delete, ...
 * @param state pending, running, done or failed
 * @param step the step it is on (null once past the last)
 * @param stepsDone how many steps are finished
 * @param steps how many it has
 * @param progress what the step last reported (may be empty)
 * @param error why the last attempt failed (the task retries), or why it failed for good; null if none
 * @param elapsed since the client started watching
 */
public record TaskSnapshot(String kind, String state, String step, int stepsDone, int steps, String progress,
        String error, Duration elapsed) {

    public TaskSnapshot {
        if (steps < 0 || stepsDone < 0 || stepsDone > steps) {
            throw new IllegalArgumentException("step " + stepsDone + " of " + steps + " is not a step");
        }
        progress = progress == null ? "" : progress;
    }

    public boolean finished() {
        return "done".equals(state) || "failed".equals(state);
    }

    public boolean failed() {
        return "failed".equals(state);
    }
}
