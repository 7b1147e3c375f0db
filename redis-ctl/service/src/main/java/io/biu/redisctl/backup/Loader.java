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
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * Loads the keys of RDB files into a cluster, each to the master that owns its slot, so the cluster's shape need not
 * be the source's. A backup's files are loaded {@linkplain SideBySide side by side}, each by its own reader and
 * writer: a file holds one source master's slots, which often belong to one target master, so one file at a time
 * would keep the others idle.
 * Reports progress about once a second: keys loaded of those expected, the rate, and the time left at that rate.
 * Each key is written only while the task's run holds its claim ({@link TaskContext#ensureHeld}).
 */
public final class Loader {

    private final RedisAdmin redis;
    private final int batch;
    private final Clock clock;
    private final Executor executor;

    /** Files are loaded on {@code executor}, a few at once. */
    public Loader(RedisAdmin redis, int batch, Clock clock, Executor executor) {
        this.redis = redis;
        this.batch = batch;
        this.clock = clock;
        this.executor = executor;
    }

    /** What a load did: keys written, keys left out because they had expired, keys of databases other than 0. */
    public record Loaded(long written, long expired, long otherDatabases) {
        Loaded plus(Loaded other) {
            return new Loaded(written + other.written, expired + other.expired, otherDatabases + other.otherDatabases);
        }
    }

    /** Loads every file of a backup (checked beforehand) from {@code store}; throws the first failure. */
    public Loaded load(BackupStore store, String folder, List<BackupFile> files, Topology target, String password,
            TaskContext context) {
        long expected = files.stream().mapToLong(f -> f.keys() == null ? 0 : f.keys()).sum();
        Progress meter = new Progress(expected, context);
        List<Loaded> loaded = SideBySide.each(files, executor, (file, stopped) -> {
            try (ClusterWriter writer = new ClusterWriter(redis, target, password, batch, true);
                    InputStream in = store.open(folder + "/" + file.name())) {
                long others = read(in, "file " + file.name(), writer, meter, context, stopped);
                context.ensureHeld();
                writer.flush();
                return new Loaded(writer.written(), writer.expired(), others);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read backup file " + file.name() + ": " + e.getMessage(), e);
            }
        });
        meter.finish();
        return loaded.stream().reduce(new Loaded(0, 0, 0), Loaded::plus);
    }

    /** Loads one RDB stream (an import's file or a live source's snapshot). */
    public Loaded load(InputStream rdb, String what, Topology target, String password, TaskContext context)
            throws IOException {
        Progress meter = new Progress(0, context);
        try (ClusterWriter writer = new ClusterWriter(redis, target, password, batch, true)) {
            long others = read(rdb, what, writer, meter, context, () -> false);
            context.ensureHeld();
            writer.flush();
            meter.finish();
            return new Loaded(writer.written(), writer.expired(), others);
        }
    }

    /** Writes the keys of {@code in}'s database 0 (a cluster has no other); the number of other databases' keys. */
    private long read(InputStream in, String what, ClusterWriter writer, Progress meter, TaskContext context,
            BooleanSupplier stopped) throws IOException {
        long[] others = new long[1];
        long[] reported = new long[1];
        RdbKeys.read(in, what, key -> {
            if (key.db() != 0) {
                others[0]++;
                return;
            }
            if (stopped.getAsBoolean()) {
                throw new SideBySide.Stopped();
            }
            context.ensureHeld();
            writer.write(key, clock.millis());
            // a writer counts the replies it awaited: what it added since its last report goes to the shared meter
            long written = writer.written();
            meter.maybeReport(written - reported[0]);
            reported[0] = written;
        });
        meter.maybeReport(writer.written() - reported[0]);
        return others[0];
    }

    /** Progress about once a second, with a rate and, when the total is known, the time left; shared by readers. */
    private static final class Progress {
        private final long expected;
        private final TaskContext sink;
        private final long started = System.nanoTime();
        private final AtomicLong done = new AtomicLong();
        private final AtomicLong lastReport = new AtomicLong(started);

        Progress(long expected, TaskContext sink) {
            this.expected = expected;
            this.sink = sink;
        }

        /** Counts {@code more} keys written; reports if a second passed since the last report. */
        void maybeReport(long more) {
            long total = done.addAndGet(more);
            long now = System.nanoTime();
            long last = lastReport.get();
            if (now - last >= 1_000_000_000L && lastReport.compareAndSet(last, now)) {
                report(total);
            }
        }

        /** Reports where the load stands. */
        void finish() {
            report(done.get());
        }

        private void report(long total) {
            double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
            long rate = Math.round(total / seconds);
            StringBuilder text = new StringBuilder(total + (expected > 0 ? " of " + expected : "") + " keys loaded, "
                    + rate + " keys/s");
            if (expected > total && rate > 0) {
                text.append(", about ").append((expected - total + rate - 1) / rate).append(" s left");
            }
            sink.progress(text.toString());
        }
    }
}
