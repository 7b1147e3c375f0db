package io.biu.cli.render;

import java.util.Optional;

/**
 * The one status line of a running task: {@code [2/7] migrate [#####.....] 50% 1200/2400 keys, 500 keys/s,
 * about 3 s left}, or, for any other step, {@code [1/6] deploy: what the step said}.
 */
public final class ProgressLine {

    static final int BAR = 20;

    private ProgressLine() {
    }

    public static String render(TaskSnapshot t) {
        if (!t.finished() && t.stepsDone() == 0 && "pending".equals(t.state()) && t.progress().isEmpty()) {
            return "waiting for redis-ctl to start the " + t.kind() + " task";
        }
        int number = Math.min(t.stepsDone() + 1, t.steps());
        String step = t.step() == null ? "finishing" : t.step();
        StringBuilder line = new StringBuilder("[" + number + "/" + t.steps() + "] " + step);
        Optional<MigrationProgress> migration = MigrationProgress.parse(t.progress());
        if (migration.isPresent()) {
            MigrationProgress m = migration.get();
            line.append(' ').append(bar(m.fraction())).append(String.format(" %3d%% ", Math.round(m.fraction() * 100)))
                    .append(m.keysMoved()).append('/').append(m.keys()).append(" keys, ")
                    .append(m.slotsMoved()).append('/').append(m.slots()).append(" slots, ")
                    .append(m.keysPerSecond()).append(" keys/s, about ").append(Format.seconds(m.secondsLeft()))
                    .append(" left");
        } else if (!t.progress().isEmpty()) {
            line.append(": ").append(t.progress());
        }
        if (t.error() != null && !t.finished()) {
            line.append(" (retrying: ").append(t.error()).append(')');
        }
        return line.toString();
    }

    /** {@code [#####...............]} for a fraction from 0 to 1. */
    public static String bar(double fraction) {
        int filled = (int) Math.round(Math.max(0, Math.min(1, fraction)) * BAR);
        return "[" + "#".repeat(filled) + ".".repeat(BAR - filled) + "]";
    }
}
