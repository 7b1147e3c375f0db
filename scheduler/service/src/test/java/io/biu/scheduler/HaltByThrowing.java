package io.biu.scheduler;

import io.biu.kit.crash.CrashPoints;
import jakarta.inject.Singleton;

/**
 * In tests a crash point ({@code biu.crash-after}) halts the calling thread instead of the JVM: it throws
 * {@link CrashPoints.Halted}, which nothing on the way up acts on, so what follows the step never runs, as after a
 * real halt, and the test examines what recovery makes of the state left behind.
 */
@Singleton
class HaltByThrowing implements CrashPoints.Halt {

    @Override
    public void now(String step) {
        throw new CrashPoints.Halted(step);
    }
}
