package io.biu.scheduler;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The scheduler's settings ({@code biu.scheduler.*}).
 *
 * @param operatorTokenFile where the bootstrap operator token is written on first start
 * @param dockerTlsDir      client certificates (ca.pem, cert.pem, key.pem) for nodes registered over TCP
 *                          without a directory of their own; null for none
 * @param engineTimeout     how long one call to a Docker engine may take
 * @param hostPortFirst     first host port handed to containers of host-network pods
 * @param hostPortLast      last such port
 */
@ConfigurationProperties("biu.scheduler")
public record SchedulerConfig(Path operatorTokenFile, @Nullable Path dockerTlsDir, Duration engineTimeout,
        int hostPortFirst, int hostPortLast) {
}
