package io.biu.redisctl.client;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.biu.scheduler.client.api.Wire;
import io.micronaut.serde.annotation.Serdeable;

/**
 * How a cluster keeps its data on its instances' volumes, which outlive restarts: an append-only file synced every
 * second ({@code aof}: a crash loses at most about the last second of writes), snapshots on a schedule ({@code rdb}: a
 * crash loses what was written since the last snapshot, up to an hour on a quiet cluster, a minute on a busy one), or
 * only in memory ({@code none}: a restarted master without a replica comes back empty).
 */
@Serdeable
public enum Persistence {
    AOF, RDB, NONE;

    /**
     * Whether the instances keep data on a volume (every mode but {@code none}); such volumes are keyed by shard
     * position ({@link Naming#volumeKey}) so that a restarted instance finds its data again.
     */
    public boolean keepsData() {
        return this != NONE;
    }

    /** As the API writes it: lower case. */
    @JsonValue
    public String id() {
        return Wire.id(this);
    }

    @JsonCreator
    public static Persistence of(String id) {
        return Wire.of(Persistence.class, id);
    }
}
