package io.biu.redisctl.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;

/**
 * Where backup files live, by name: {@code tenant/cluster/backup/file}, names made of letters, digits, {@code . _ -}
 * and slashes between them. A file being written is invisible under its name until it is complete, so a failure or
 * crash half-way never leaves a short file that looks whole. Implementations: a local directory
 * ({@link LocalBackupStore}); an object store fits the same four calls.
 */
public interface BackupStore {

    /**
     * Writes {@code name} with what {@code content} writes, replacing what was there only once {@code content} has
     * returned: if it throws, nothing is left under {@code name} but what was there before.
     */
    void put(String name, Content content) throws IOException;

    /** The content of {@code name}; a {@link java.nio.file.NoSuchFileException} if it is not there. */
    InputStream open(String name) throws IOException;

    /** Whether {@code name} is there. */
    boolean exists(String name) throws IOException;

    /** The names under {@code prefix} (a folder: {@code tenant/cluster/backup}), sorted. */
    List<String> list(String prefix) throws IOException;

    /** Removes everything under {@code prefix}; nothing there is no error. */
    void delete(String prefix) throws IOException;

    /** What a file holds, written to the stream given (which the store closes). */
    @FunctionalInterface
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Names are relative paths without {@code ..}, empty parts or odd characters. */
    static String checked(String name) {
        if (name == null || !name.matches("[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*")
                || List.of(name.split("/")).stream().anyMatch(p -> p.equals(".") || p.equals(".."))) {
            throw new IllegalArgumentException("not a backup store name: '" + name + "'");
        }
        return name;
    }
}
