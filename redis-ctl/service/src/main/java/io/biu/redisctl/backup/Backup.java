package io.biu.redisctl.backup;

import io.biu.redisctl.client.BackupState;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;

/**
 * A backup's record: whose cluster it is of (kept by name too, as a backup outlives its cluster), where it is, and
 * its files as JSON ({@code BackupFile}s, one per master). Its files are in the store under {@link #folder()}.
 */
@MappedEntity("backup")
public record Backup(
        @Id @GeneratedValue @Nullable Long id,
        long clusterId,
        String tenant,
        String clusterName,
        BackupState state,
        @Nullable Long taskId,
        Instant startedAt,
        @Nullable Instant finishedAt,
        long bytes,
        long keys,
        String files,
        @Nullable String error) {

    public static Backup started(long clusterId, String tenant, String clusterName, Instant now) {
        return new Backup(null, clusterId, tenant, clusterName, BackupState.RUNNING, null, now, null, 0, 0, "[]",
                null);
    }

    /** The store folder of its files: {@code tenant/cluster/id}. */
    public String folder() {
        return tenant + "/" + clusterName + "/" + id;
    }

    Backup withTask(long task) {
        return new Backup(id, clusterId, tenant, clusterName, state, task, startedAt, finishedAt, bytes, keys, files,
                error);
    }

    Backup withFiles(String json, long totalBytes, long totalKeys) {
        return new Backup(id, clusterId, tenant, clusterName, state, taskId, startedAt, finishedAt, totalBytes,
                totalKeys, json, error);
    }

    Backup done(Instant now) {
        return new Backup(id, clusterId, tenant, clusterName, BackupState.DONE, taskId, startedAt, now, bytes, keys,
                files, null);
    }

    Backup failed(String why, Instant now) {
        return new Backup(id, clusterId, tenant, clusterName, BackupState.FAILED, taskId, startedAt, now, bytes, keys,
                files, why);
    }
}
