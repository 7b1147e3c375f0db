/**
 * What redis-ctl records of its clusters and their instances, and the repositories that keep them. Tasks and the
 * code that shapes clusters both read these; neither is read by them.
 */
package io.biu.redisctl.store;
