package io.biu.admin;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * proxy-admin's settings ({@code biu.proxy-admin.*}).
 *
 * @param image          the proxy's image
 * @param proxies        proxies per endpoint, each on a node of its own
 * @param cpu            cores per proxy (its event loops: one per whole core, at least one)
 * @param memory         each proxy's memory limit
 * @param retryWindow    how long a proxy retries a command through a failover before answering an error
 * @param rotationGrace  how long an old password works after a rotation, unless the call says
 * @param syncInterval   how often every proxy is told its endpoint's passwords
 */
@ConfigurationProperties("biu.proxy-admin")
public record AdminConfig(String image, int proxies, BigDecimal cpu, String memory, Duration retryWindow,
        Duration rotationGrace, Duration syncInterval) {
}
