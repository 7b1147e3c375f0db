/** redis-ctl's API as its callers compile against it. */
package io.biu.redisctl.client;
