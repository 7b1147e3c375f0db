package io.biu.redisctl.backup;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Backup settings ({@code biu.redis-ctl.backup.*}).
 *
 * @param dir   the directory of the local backup store (by default {@code backups} under the data directory)
 * @param batch     keys per pipelined batch of RESTORE commands sent to one master while loading
 * @param importDir the folder of RDB files to import: a tenant names a file of its own folder in it
 *                  ({@code <import-dir>/<tenant>/}), never a path of its choosing on redis-ctl's host
 * @param follow    how long an online import follows its source's writes at most, trying to catch up
 */
@ConfigurationProperties("biu.redis-ctl.backup")
public record BackupSettings(Path dir, int batch, Path importDir, Duration follow) {

    public BackupSettings {
        if (batch < 1) {
            throw new IllegalArgumentException("biu.redis-ctl.backup.batch must be at least 1, not " + batch);
        }
    }
}
