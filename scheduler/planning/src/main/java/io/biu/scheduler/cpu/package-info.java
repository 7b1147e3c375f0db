/**
 * CPU in integer pieces: requests, per-node free state, the fragment-core capacity search, plans, and
 * their Docker mapping. See {@link io.biu.scheduler.cpu.BoundCpu} for the algorithm.
 */
package io.biu.scheduler.cpu;
