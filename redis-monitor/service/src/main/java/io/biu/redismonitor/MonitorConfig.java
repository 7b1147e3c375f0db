package io.biu.redismonitor;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * redis-monitor's settings ({@code biu.redis-monitor.*}).
 *
 * @param interval      how often every instance's INFO is read and every cluster's policy applied
 * @param readyTimeout  how long a scale-out waits for its containers to pass their readiness probe
 * @param auditRepeat   a hold or block like the cluster's last recorded decision is recorded again only after this
 * @param defaultPolicy whether clusters without a policy of their own are scaled by the defaults (false: left alone)
 */
@ConfigurationProperties("biu.redis-monitor")
public record MonitorConfig(Duration interval, Duration readyTimeout, Duration auditRepeat, boolean defaultPolicy) {
}
