package io.biu.redisctl.backup;

import io.biu.redisctl.api.CtlError;
import io.biu.redisctl.api.CtlException;
import io.biu.redisctl.client.BackupFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Reads every file of a backup in full, a few files at once: each must be there, have the size and SHA-256
 * recorded when it was taken, and parse key by key to its end. A restore runs this before it writes anything, so a
 * damaged backup fails with the file and the fault named, and the target untouched.
 */
public final class Verifier {

    private final BackupStore store;
    private final Executor executor;

    /** Files are read on {@code executor}, a few at once ({@link SideBySide}). */
    public Verifier(BackupStore store, Executor executor) {
        this.store = store;
        this.executor = executor;
    }

    /**
     * The files with their key counts, in their order; a {@link CtlException} ({@code CONFLICT}) naming the first bad
     * file in that order.
     */
    public List<BackupFile> verify(String folder, List<BackupFile> files, Consumer<String> progress) {
        if (files.isEmpty()) {
            throw new CtlException(CtlError.CONFLICT, "backup " + folder + " has no file: it was never completed");
        }
        AtomicInteger done = new AtomicInteger();
        return SideBySide.each(files, executor, (file, stopped) -> {
            BackupFile checked = verify(folder, file);
            progress.accept(done.incrementAndGet() + " of " + files.size() + " files checked");
            return checked;
        });
    }

    private BackupFile verify(String folder, BackupFile file) {
        String name = folder + "/" + file.name();
        MessageDigest sha = RdbFetch.sha256();
        long keys;
        String unreadable = null;
        try (InputStream in = new DigestInputStream(store.open(name), sha)) {
            CountingStream counted = new CountingStream(in);
            try {
                keys = RdbKeys.read(counted, "file " + file.name(), key -> { });
            } catch (IOException | AssertionError e) {
                // the RDB parser reports some damage (an unknown value type) as an AssertionError
                unreadable = e.getMessage();
                keys = -1;
            }
            // the rest, if any, so that the checksum covers the whole file
            counted.transferTo(OutputStream.nullOutputStream());
            String actual = HexFormat.of().formatHex(sha.digest());
            if (counted.count() != file.bytes() || !actual.equals(file.sha256())) {
                throw damaged(name, "it has " + counted.count() + " bytes with SHA-256 " + actual + ", the backup "
                        + "recorded " + file.bytes() + " bytes with SHA-256 " + file.sha256());
            }
        } catch (NoSuchFileException e) {
            throw damaged(name, "it is missing from the backup store");
        } catch (IOException e) {
            throw damaged(name, "it cannot be read: " + e.getMessage());
        }
        if (unreadable != null) {
            throw damaged(name, unreadable);
        }
        if (file.keys() != null && file.keys() != keys) {
            throw damaged(name, "it holds " + keys + " keys, the backup recorded " + file.keys());
        }
        return file.withKeys(keys);
    }

    private static CtlException damaged(String name, String why) {
        return new CtlException(CtlError.CONFLICT, "backup file " + name + " is damaged: " + why
                + "; nothing was restored (restore from another backup)");
    }
}
