/**
 * Placement: hard constraints that reject nodes with a {@link io.biu.scheduler.placement.Reason}, the
 * strategies (spread, binpack, fill, each-node), anti-affinity groups and per-node capacity; all pure code
 * over a snapshot of a pod's nodes, see {@link io.biu.scheduler.placement.Planner}.
 */
package io.biu.scheduler.placement;
