package io.biu.scheduler;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * What happens to engine containers the database has no row for ({@code biu.scheduler.quarantine.*}).
 *
 * @param grace     how long such a container is kept, stopped, before the reconciler removes it with its data
 * @param stopGrace how long it is given to exit after SIGTERM when it is stopped
 */
@ConfigurationProperties("biu.scheduler.quarantine")
public record QuarantineConfig(Duration grace, Duration stopGrace) {
}
