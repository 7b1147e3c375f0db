package io.biu.redisctl.client;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/**
 * A backup of a cluster: when it was started and finished, its files (one per master, with the slots each covered
 * and its checksum), their total size and key count, the task that takes it, and why it failed if it did.
 */
@Serdeable
public record BackupView(long id, long cluster, String clusterName, BackupState state, Instant startedAt,
        @Nullable Instant finishedAt, long bytes, long keys, List<BackupFile> files, @Nullable Long taskId,
        @Nullable String error) {

    public BackupView {
        files = List.copyOf(files);
    }

    public boolean done() {
        return state == BackupState.DONE;
    }
}
