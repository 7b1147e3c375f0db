/**
 * Scaling decisions, pure code: from a cluster's recent INFO samples (a {@link io.biu.redismonitor.policy.Window})
 * and its tenant's {@link io.biu.redismonitor.policy.Policy} to a {@link io.biu.redismonitor.policy.Decision} that
 * carries its {@link io.biu.redismonitor.policy.Reason} and the {@link io.biu.redismonitor.policy.Numbers} behind it.
 * The algorithm is described on {@link io.biu.redismonitor.policy.Decider}.
 *
 * <p>This package imports only the JDK: collecting INFO, running scaling tasks and writing the audit live in the
 * adapters around it.
 */
package io.biu.redismonitor.policy;
