package io.biu.redisctl.backup;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.nio.file.Path;

/**
 * Backup settings ({@code biu.redis-ctl.backup.*}).
 *
 * @param dir   the directory of the local backup store (by default {@code backups} under the data directory)
 * @param batch keys per pipelined batch of RESTORE commands sent to one master while loading
 */
@ConfigurationProperties("biu.redis-ctl.backup")
public record BackupSettings(Path dir, int batch) {

    public BackupSettings {
        if (batch < 1) {
            throw new IllegalArgumentException("biu.redis-ctl.backup.batch must be at least 1, not " + batch);
        }
    }
}
