package io.biu.redisctl.backup;

import io.biu.redisctl.client.BackupFile;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** A backup's files as the JSON its record and its manifest hold. */
@Singleton
final class FileList {

    private final JsonMapper json;

    FileList(JsonMapper json) {
        this.json = json;
    }

    List<BackupFile> read(Backup backup) {
        try {
            return json.readValue(backup.files(), Argument.listOf(BackupFile.class));
        } catch (IOException e) {
            throw new UncheckedIOException("the files of backup " + backup.id() + " do not read", e);
        }
    }

    String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
