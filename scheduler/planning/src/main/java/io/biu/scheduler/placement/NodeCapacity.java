package io.biu.scheduler.placement;

/**
 * How many containers of a request fit on one node, and when none, the constraint that stops it.
 *
 * @param reason null when {@code count > 0}
 */
public record NodeCapacity(String node, int count, Reason reason) {
}
