package io.biu.scheduler.placement;

import java.util.List;
import java.util.Map;

/** The outcome of planning a request: every container placed, or a refusal that says why. */
public sealed interface Placement {

    /** Every requested container has a node and a CPU plan. */
    record Planned(List<Assignment> assignments) implements Placement {
        public Planned {
            assignments = List.copyOf(assignments);
        }
    }

    /**
     * Not every container fits. {@code nodes} counts, per reason, the nodes that could not take (another)
     * container; {@code placeable} is how many would have fitted.
     */
    record Refused(int requested, int placeable, Map<Reason, Integer> nodes, String message) implements Placement {
        public Refused {
            nodes = Map.copyOf(nodes);
        }
    }
}
