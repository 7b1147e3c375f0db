package io.biu.cli.render;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How far a slot migration is, read back from the progress text redis-ctl's balancer reports ("moved 3 of 8
 * slots, 1200 of about 3000 keys (500 keys/s), about 4 s left").
 */
public record MigrationProgress(long slotsMoved, long slots, long keysMoved, long keys, long keysPerSecond,
        long secondsLeft) {

    private static final Pattern TEXT = Pattern.compile(
            "moved (\\d+) of (\\d+) slots, (\\d+) of about (\\d+) keys \\((\\d+) keys/s\\), about (\\d+) s left");

    public MigrationProgress {
        if (slotsMoved < 0 || slots < 0 || keysMoved < 0 || keys < 0 || keysPerSecond < 0 || secondsLeft < 0) {
            throw new IllegalArgumentException("migration figures are never negative");
        }
    }

    /** The figures in a progress text, if it is a migration's. */
    public static Optional<MigrationProgress> parse(String progress) {
        if (progress == null) {
            return Optional.empty();
        }
        Matcher m = TEXT.matcher(progress);
        if (!m.find()) {
            return Optional.empty();
        }
        return Optional.of(new MigrationProgress(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)),
                Long.parseLong(m.group(3)), Long.parseLong(m.group(4)), Long.parseLong(m.group(5)),
                Long.parseLong(m.group(6))));
    }

    /**
     * The fraction done, 0 to 1: by keys when there are any (the estimate may be exceeded: never past 1), else by
     * slots.
     */
    public double fraction() {
        if (keys > 0) {
            return Math.min(1.0, keysMoved / (double) keys);
        }
        return slots == 0 ? 1.0 : Math.min(1.0, slotsMoved / (double) slots);
    }
}
