/**
 * Keyed data volumes: volumes that belong to a caller's key rather than to a container, so they outlive containers;
 * their records, engine names and removal (deferred while a node does not answer).
 */
package io.biu.scheduler.volume;
