/** redis-monitor's API as its callers compile against it. */
package io.biu.redismonitor.client;
