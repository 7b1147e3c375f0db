package io.biu.redisctl.backup;

import io.biu.redisctl.client.BackupFile;
import io.biu.redisctl.plan.Topology;
import io.biu.redisctl.redis.RedisAdmin;
import io.biu.redisctl.task.TaskContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;

/**
 * Loads the keys of RDB files into a cluster, each to the master that owns its slot, so the cluster's shape need not
 * be the source's. Reports progress about once a second: keys loaded of those expected, the rate, and the time left
 * at that rate. Each key is written only while the task's run holds its claim ({@link TaskContext#ensureHeld}).
 */
public final class Loader {

    private final RedisAdmin redis;
    private final int batch;
    private final Clock clock;

    public Loader(RedisAdmin redis, int batch, Clock clock) {
        this.redis = redis;
        this.batch = batch;
        this.clock = clock;
    }

    /** What a load did: keys written, keys left out because they had expired, keys of databases other than 0. */
    public record Loaded(long written, long expired, long otherDatabases) {
    }

    /** Loads every file of a backup (checked beforehand) from {@code store}. */
    public Loaded load(BackupStore store, String folder, List<BackupFile> files, Topology target, String password,
            TaskContext context) {
        long expected = files.stream().mapToLong(f -> f.keys() == null ? 0 : f.keys()).sum();
        Progress meter = new Progress(expected, context);
        try (ClusterWriter writer = new ClusterWriter(redis, target, password, batch)) {
            long[] others = new long[1];
            for (BackupFile file : files) {
                try (InputStream in = store.open(folder + "/" + file.name())) {
                    read(in, "file " + file.name(), writer, others, meter, context);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read backup file " + file.name() + ": " + e.getMessage(),
                            e);
                }
            }
            context.ensureHeld();
            writer.flush();
            meter.report(writer.written());
            return new Loaded(writer.written(), writer.expired(), others[0]);
        }
    }

    /** Loads one RDB stream (an import's file or a live source's snapshot). */
    public Loaded load(InputStream rdb, String what, Topology target, String password, TaskContext context)
            throws IOException {
        Progress meter = new Progress(0, context);
        try (ClusterWriter writer = new ClusterWriter(redis, target, password, batch)) {
            long[] others = new long[1];
            read(rdb, what, writer, others, meter, context);
            context.ensureHeld();
            writer.flush();
            meter.report(writer.written());
            return new Loaded(writer.written(), writer.expired(), others[0]);
        }
    }

    private void read(InputStream in, String what, ClusterWriter writer, long[] others, Progress meter,
            TaskContext context) throws IOException {
        RdbKeys.read(in, what, key -> {
            if (key.db() != 0) {
                // a cluster has database 0 only
                others[0]++;
                return;
            }
            context.ensureHeld();
            writer.write(key, clock.millis());
            meter.maybeReport(writer.written());
        });
    }

    /** Progress about once a second, with a rate and, when the total is known, the time left. */
    private final class Progress {
        private final long expected;
        private final TaskContext sink;
        private final long started = System.nanoTime();
        private long lastReport = started;

        Progress(long expected, TaskContext sink) {
            this.expected = expected;
            this.sink = sink;
        }

        void maybeReport(long done) {
            long now = System.nanoTime();
            if (now - lastReport >= 1_000_000_000L) {
                lastReport = now;
                report(done);
            }
        }

        void report(long done) {
            double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
            long rate = Math.round(done / seconds);
            StringBuilder text = new StringBuilder(done + (expected > 0 ? " of " + expected : "") + " keys loaded, "
                    + rate + " keys/s");
            if (expected > done && rate > 0) {
                text.append(", about ").append((expected - done + rate - 1) / rate).append(" s left");
            }
            sink.progress(text.toString());
        }
    }
}
