/**
 * redis-ctl's decisions, pure code: from a cluster's live state (a {@link io.biu.redisctl.plan.Topology}, parsed from
 * CLUSTER NODES, and its instances as {@link io.biu.redisctl.plan.Member}s) to what the tasks do about it.
 *
 * <ul>
 *   <li>{@link io.biu.redisctl.plan.SlotPlan}: the even slot ranges of a new cluster, the fewest moves that even the
 *       masters out or empty drained ones, the slots a shard that lost every member held;</li>
 *   <li>{@link io.biu.redisctl.plan.OpenSlots}: finishing or closing the slot moves a crash left open;</li>
 *   <li>{@link io.biu.redisctl.plan.Replicas}: which master a joining or re-homed replica follows, and which of a drained
 *       master's replicas are kept or retired;</li>
 *   <li>{@link io.biu.redisctl.plan.Failover}, {@link io.biu.redisctl.plan.Replacement},
 *       {@link io.biu.redisctl.plan.Roles} and {@link io.biu.redisctl.plan.Convergence}: how healing proceeds, from
 *       waiting for Redis's election, or taking over without one, to what replaces the failed instance and when the
 *       cluster is whole again;</li>
 *   <li>{@link io.biu.redisctl.plan.MasterSpread}: which replica to promote so that masters spread over the nodes.</li>
 * </ul>
 *
 * <p>This package imports only the JDK. Talking to Redis, the scheduler and the database, and running the steps of
 * tasks, live in the packages around it, which translate what they read into these types, ask, and act.
 */
package io.biu.redisctl.plan;
