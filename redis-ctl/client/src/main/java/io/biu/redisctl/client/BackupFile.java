package io.biu.redisctl.client;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * One master's RDB in a backup: the master (its CLUSTER MYID and address when it was taken), the slots it served
 * then ({@code "0-5460"} ranges), the file's size and SHA-256 (hex), and its key count once verified.
 */
@Serdeable
public record BackupFile(String name, String master, String address, List<String> slots, long bytes,
        String sha256, @Nullable Long keys) {

    public BackupFile {
        slots = List.copyOf(slots);
    }

    public BackupFile withKeys(long count) {
        return new BackupFile(name, master, address, slots, bytes, sha256, count);
    }
}
