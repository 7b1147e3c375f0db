package io.biu.redisctl.backup;

import io.biu.redisctl.client.BackupFile;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/**
 * What a complete backup's folder says of itself ({@code manifest.json}), so that its files can be understood without
 * redis-ctl's database: whose cluster, when, and per file the master, its slots, size, key count and SHA-256.
 */
@Serdeable
record Manifest(long backup, String tenant, String cluster, Instant startedAt, Instant finishedAt, long bytes,
        long keys, List<BackupFile> files) {

    static final String NAME = "manifest.json";
}
