package io.biu.scheduler.placement;

import io.biu.scheduler.error.SchedulerError;
import io.biu.scheduler.error.SchedulerException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a deployment's containers are spread over the pod's nodes. */
public enum Strategy {
    /**
     * {@code count} containers, each on the node with the fewest containers of the app so far (ties: the
     * most room left, then the name). Also accepted as {@code auto}.
     */
    SPREAD("spread"),
    /** {@code count} containers on as few nodes as possible: the fullest node that still fits comes first. */
    BINPACK("binpack"),
    /** Every eligible node topped up to {@code count} containers of the app; all or nothing. */
    FILL("fill"),
    /** {@code count} more containers on every eligible node; all or nothing. */
    EACH_NODE("each-node");

    private final String label;

    Strategy(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Strategy parse(String text) {
        String name = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        if (name.equals("auto")) {
            return SPREAD;
        }
        for (Strategy s : values()) {
            if (s.label.equals(name)) {
                return s;
            }
        }
        throw SchedulerException.invalid(SchedulerError.INVALID_STRATEGY, "unknown strategy '%s': use %s or auto",
                text, Arrays.stream(values()).map(Strategy::label).collect(Collectors.joining(", ")));
    }
}
