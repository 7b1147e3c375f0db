package io.biu.kit.crash;

import java.util.List;

/**
 * The named steps of a long operation, in order, as the code that runs them declares them (once, beside that
 * code). Each is a point where {@link CrashPoints} can halt the process in tests; no other name is accepted.
 */
public interface StepList {

    /** What runs these steps, for messages ({@code "formation"}, {@code "scale-out"}). */
    String operation();

    /** The steps' names, in the order they run. */
    List<String> steps();
}
