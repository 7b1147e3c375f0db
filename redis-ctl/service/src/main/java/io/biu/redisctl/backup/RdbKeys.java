package io.biu.redisctl.backup;

import com.moilioncircle.redis.replicator.Configuration;
import com.moilioncircle.redis.replicator.FileType;
import com.moilioncircle.redis.replicator.RedisReplicator;
import com.moilioncircle.redis.replicator.Replicator;
import com.moilioncircle.redis.replicator.event.PostRdbSyncEvent;
import com.moilioncircle.redis.replicator.rdb.datatype.ExpiredType;
import com.moilioncircle.redis.replicator.rdb.dump.DumpRdbVisitor;
import com.moilioncircle.redis.replicator.rdb.dump.datatype.DumpKeyValuePair;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads an RDB stream key by key, each as the payload {@code DUMP} would give for it (which {@code RESTORE} takes
 * back), with redis-replicator's dump visitor. It reads RDB versions up to 12 (Redis 7.4; Redis 7.0 writes 10). A
 * stream that ends before the RDB's end marker, or that does not parse, is an {@link IOException}: a file that reads
 * here in full is one {@code RESTORE} accepts key by key.
 */
public final class RdbKeys {

    private RdbKeys() {
    }

    /**
     * One key: its database, name, absolute expiry in Unix milliseconds ({@code 0}: none), and DUMP payload.
     */
    public record Key(long db, byte[] name, long expireAtMs, byte[] payload) {
    }

    /** What to do with each key; may throw, which stops the read and is thrown from {@link #read}. */
    @FunctionalInterface
    public interface Sink {
        void accept(Key key) throws Exception;
    }

    /** Reads every key of {@code rdb} (which it closes) into {@code sink}, in file order; returns the count. */
    public static long read(InputStream rdb, String what, Sink sink) throws IOException {
        Replicator replicator = new RedisReplicator(rdb, FileType.RDB,
                Configuration.defaultSetting().setUseDefaultExceptionListener(false));
        replicator.setRdbVisitor(new DumpRdbVisitor(replicator));
        AtomicLong count = new AtomicLong();
        AtomicBoolean ended = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicReference<Exception> sinkFailure = new AtomicReference<>();
        replicator.addExceptionListener((r, error, event) -> failure.compareAndSet(null, error));
        replicator.addEventListener((r, event) -> {
            if (failure.get() != null || sinkFailure.get() != null) {
                return;
            }
            if (event instanceof DumpKeyValuePair kv) {
                try {
                    sink.accept(new Key(kv.getDb() == null ? 0 : kv.getDb().getDbNumber(), kv.getKey(),
                            kv.getExpiredType() == ExpiredType.NONE ? 0 : kv.getExpiredMs(), kv.getValue()));
                    count.incrementAndGet();
                } catch (Exception e) {
                    sinkFailure.compareAndSet(null, e);
                    close(r);
                }
            } else if (event instanceof PostRdbSyncEvent) {
                ended.set(true);
            }
        });
        try {
            replicator.open();
        } catch (IOException | RuntimeException e) {
            failure.compareAndSet(null, e);
        } finally {
            close(replicator);
        }
        Exception refused = sinkFailure.get();
        if (refused instanceof RuntimeException r) {
            throw r;
        }
        if (refused instanceof IOException io) {
            throw io;
        }
        if (refused != null) {
            throw new IOException(what + ": " + refused.getMessage(), refused);
        }
        Throwable failed = failure.get();
        if (failed instanceof IOException io) {
            throw new IOException(what + " does not read as an RDB: " + io.getMessage(), io);
        }
        if (failed instanceof RuntimeException r) {
            throw r;
        }
        if (failed != null) {
            throw new IOException(what + " does not read as an RDB: " + failed, failed);
        }
        if (!ended.get()) {
            throw new IOException(what + " ends before its last key: it is cut short or is not an RDB");
        }
        return count.get();
    }

    private static void close(Replicator replicator) {
        try {
            replicator.close();
        } catch (IOException ignored) {
            // the stream is done with either way
        }
    }
}
