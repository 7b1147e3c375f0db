/** IPv4 address management for pods' MacVLAN subnets: the scheduler's own, never Docker's per-host IPAM. */
package io.biu.scheduler.ipam;
