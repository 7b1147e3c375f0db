package io.biu.redisctl.client;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.biu.scheduler.client.api.Wire;
import io.micronaut.serde.annotation.Serdeable;

/** Where a backup is: being taken, complete (restorable), or given up (its files removed). */
@Serdeable
public enum BackupState {
    RUNNING, DONE, FAILED;

    @JsonValue
    public String id() {
        return Wire.id(this);
    }

    @JsonCreator
    public static BackupState of(String id) {
        return Wire.of(BackupState.class, id);
    }
}
