/**
 * redis-ctl's decisions, pure code: from a cluster's live state (a {@link io.biu.redisctl.plan.Topology}, parsed from
 * CLUSTER NODES) to what the tasks do about it.
 *
 * <ul>
 *   <li>{@link io.biu.redisctl.plan.SlotPlan}: the even slot ranges of a new cluster, the fewest moves that even the
 *       masters out or empty drained ones, the slots a shard that lost every member held;</li>
 *   <li>{@link io.biu.redisctl.plan.OpenSlots}: finishing or closing the slot moves a crash left open.</li>
 * </ul>
 *
 * <p>This package imports only the JDK. Talking to Redis, the scheduler and the database, and running the steps of
 * tasks, live in the packages around it, which translate what they read into these types, ask, and act.
 */
package io.biu.redisctl.plan;
