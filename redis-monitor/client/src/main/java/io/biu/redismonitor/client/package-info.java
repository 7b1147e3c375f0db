/**
 * redis-monitor's API as its callers compile against it: cluster policies ({@link PolicyView},
 * {@link PolicySettings}), the audit trail ({@link DecisionView} with its {@link Inputs} and {@link ActionView}), the
 * scaling actions' kinds and their steps ({@link ActionKind}), the web tier's policies and decisions, and the
 * declarative {@link RedisMonitorClient}.
 */
package io.biu.redismonitor.client;
