package io.biu.redisctl.backup;

import com.moilioncircle.redis.replicator.Configuration;
import com.moilioncircle.redis.replicator.RedisReplicator;
import com.moilioncircle.redis.replicator.Replicator;
import com.moilioncircle.redis.replicator.cmd.CommandName;
import com.moilioncircle.redis.replicator.cmd.impl.DefaultCommand;
import com.moilioncircle.redis.replicator.cmd.impl.SelectCommand;
import com.moilioncircle.redis.replicator.event.PostRdbSyncEvent;
import com.moilioncircle.redis.replicator.rdb.datatype.ExpiredType;
import com.moilioncircle.redis.replicator.rdb.dump.DumpRdbVisitor;
import com.moilioncircle.redis.replicator.rdb.dump.datatype.DumpKeyValuePair;
import io.biu.kit.info.RedisInfo;
import io.biu.redisctl.plan.Topology;
import io.biu.redisctl.redis.RedisAdmin;
import io.biu.redisctl.task.TaskContext;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.models.command.CommandDetailParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Imports a live Redis into a cluster as a replica of it would: {@code PSYNC} (redis-replicator), the snapshot loaded
 * key by key ({@code RESTORE}), then the source's command stream applied, each command to the master that owns its
 * keys' slot. It follows the source until it has caught up with a source that went quiet: its offset reached the
 * source's {@code master_repl_offset} (checked every 200 ms once the snapshot is loaded) and that offset did not move
 * for {@code quiet}. So a cut-over is: start the import, stop writing to the source, and the import ends with every
 * write. Following never lasts longer than {@code follow}; an import that stops behind says by how many bytes. Only
 * database 0 is imported.
 */
public final class LiveImport {

    private final RedisAdmin redis;
    private final int batch;
    private final Clock clock;
    private final Duration follow;
    private final Duration quiet;

    public LiveImport(RedisAdmin redis, int batch, Clock clock, Duration follow, Duration quiet) {
        this.redis = redis;
        this.batch = batch;
        this.clock = clock;
        this.follow = follow;
        this.quiet = quiet;
    }

    /** What an import did: keys loaded, commands applied, the source offset reached and how far behind it stopped. */
    public record Imported(long keys, long commands, long offset, long behind, long otherDatabases) {
    }

    /**
     * Imports from the source at {@code host:port}. Each key and write goes to the target only while the task's run
     * holds its claim ({@link TaskContext#ensureHeld}); once it is lost, the import stops with {@link
     * TaskContext.LeaseLost}.
     */
    public Imported run(String host, int port, String password, Topology target, String targetPassword,
            TaskContext context) throws IOException {
        RedisClient client = RedisClient.create();
        ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "import-watch-" + host + ":" + port);
            t.setDaemon(true);
            return t;
        });
        try (StatefulRedisConnection<String, String> source = client.connect(uri(host, port, password));
                ClusterWriter writer = new ClusterWriter(redis, target, targetPassword, batch, false)) {
            // which commands are data writes, and where their keys are, the target says: the source is not trusted
            Topology.Node anyMaster = target.liveMasters().get(0);
            CommandStream stream = new CommandStream(CommandDetailParser.parse(redis.on(anyMaster.host(),
                    anyMaster.port(), targetPassword, r -> r.command())));
            Configuration conf = Configuration.defaultSetting().setRetries(0).setUseDefaultExceptionListener(false)
                    .setConnectionTimeout(5000).setReadTimeout(60_000);
            if (password != null) {
                conf.setAuthUser("default").setAuthPassword(password);
            }
            Replicator replicator = new RedisReplicator(host, port, conf);
            replicator.setRdbVisitor(new DumpRdbVisitor(replicator));
            for (String name : stream.writeCommands()) {
                replicator.addCommandParser(CommandName.name(name.toUpperCase(Locale.ROOT)), LiveImport::raw);
            }
            for (String ignored : List.of("SELECT", "MULTI", "EXEC", "PING")) {
                replicator.addCommandParser(CommandName.name(ignored), LiveImport::raw);
            }
            State state = new State();
            replicator.addExceptionListener((r, error, event) -> state.fail(error, r));
            replicator.addEventListener((r, event) -> {
                try {
                    state.on(event, writer, stream, clock.millis(), context);
                } catch (RuntimeException e) {
                    state.fail(e, r);
                }
            });
            long deadline = System.nanoTime() + follow.toNanos();
            long[] sourceLast = {-1, System.nanoTime()};
            watch.scheduleWithFixedDelay(() -> {
                try {
                    watchOnce(state, conf, source, sourceLast, deadline, replicator, context);
                } catch (Throwable e) {
                    // a scheduled run that throws is never run again: the import would never end
                    state.fail(e, replicator);
                }
            }, 200, 200, TimeUnit.MILLISECONDS);
            try {
                replicator.open();
            } catch (IOException | RuntimeException e) {
                if (!state.bulkDone.get()) {
                    state.fail(e, replicator);
                }
            }
            Throwable failed = state.failure.get();
            if (failed instanceof TaskContext.LeaseLost lost) {
                throw lost;
            }
            if (failed != null) {
                throw new IOException("the import from " + host + ":" + port + " stopped: " + failed.getMessage(),
                        failed);
            }
            if (!state.bulkDone.get()) {
                throw new IOException("the import from " + host + ":" + port + " stopped before the snapshot was "
                        + "loaded");
            }
            context.ensureHeld();
            writer.flush();
            return new Imported(state.keys.get(), state.commands.get(), conf.getReplOffset(),
                    state.behind.get(), state.otherDatabases.get());
        } finally {
            watch.shutdownNow();
            client.shutdown();
        }
    }

    /** What the replication stream did so far; touched by the replicator's thread, read by the watcher. */
    private static final class State {
        final AtomicBoolean bulkDone = new AtomicBoolean();
        /** The watcher ended the import: what it measured then is the answer, whatever the source does after. */
        final AtomicBoolean ended = new AtomicBoolean();
        final AtomicLong commands = new AtomicLong();
        final AtomicLong behind = new AtomicLong();
        final AtomicLong otherDatabases = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicLong keys = new AtomicLong();
        private long db;

        void on(Object event, ClusterWriter writer, CommandStream stream, long nowMs, TaskContext context) {
            if (failure.get() != null) {
                return;
            }
            context.ensureHeld();
            if (event instanceof DumpKeyValuePair kv) {
                if (kv.getDb() != null && kv.getDb().getDbNumber() != 0) {
                    otherDatabases.incrementAndGet();
                    return;
                }
                writer.write(new RdbKeys.Key(0, kv.getKey(), kv.getExpiredType() == ExpiredType.NONE ? 0
                        : kv.getExpiredMs(), kv.getValue()), nowMs);
                if (keys.incrementAndGet() % 10_000 == 0) {
                    context.progress(keys.get() + " keys of the source's snapshot loaded");
                }
            } else if (event instanceof PostRdbSyncEvent) {
                writer.flush();
                db = 0;
                bulkDone.set(true);
                context.progress(keys.get() + " keys of the source's snapshot loaded; following its writes");
            } else if (event instanceof SelectCommand select) {
                db = select.getIndex();
            } else if (event instanceof DefaultCommand command) {
                String name = new String(command.getCommand(), StandardCharsets.UTF_8).toUpperCase(Locale.ROOT);
                switch (name) {
                    case "SELECT" -> db = Long.parseLong(new String(command.getArgs()[0], StandardCharsets.UTF_8));
                    case "MULTI", "EXEC", "PING" -> { }
                    default -> {
                        if (db != 0) {
                            otherDatabases.incrementAndGet();
                            return;
                        }
                        for (CommandStream.Routed routed : stream.route(command.getCommand(), command.getArgs())) {
                            writer.apply(routed);
                        }
                        commands.incrementAndGet();
                    }
                }
            }
        }

        void fail(Throwable error, Replicator replicator) {
            failure.compareAndSet(null, error);
            close(replicator);
        }
    }

    /** The replicator's raw form of a command: its name and arguments as sent. */
    private static DefaultCommand raw(Object[] command) {
        byte[][] args = Arrays.copyOfRange(command, 1, command.length, byte[][].class);
        return new DefaultCommand((byte[]) command[0], args);
    }

    private static long sourceOffset(StatefulRedisConnection<String, String> source) {
        String offset = RedisInfo.fields(source.sync().info("replication")).get("master_repl_offset");
        return offset == null ? 0 : Long.parseLong(offset);
    }

    private static void close(Replicator replicator) {
        try {
            replicator.close();
        } catch (IOException ignored) {
            // stopping either way
        }
    }

    private static RedisURI uri(String host, int port, String password) {
        RedisURI.Builder uri = RedisURI.builder().withHost(host).withPort(port).withTimeout(Duration.ofSeconds(5));
        return (password == null ? uri : uri.withAuthentication("default", password.toCharArray())).build();
    }

    /** How far the import is, once the snapshot is in: it ends caught up with a quiet source, or at its deadline. */
    private void watchOnce(State state, Configuration conf, StatefulRedisConnection<String, String> source,
            long[] sourceLast, long deadline, Replicator replicator, TaskContext context) {
        if (!state.bulkDone.get() || state.ended.get()) {
            return;
        }
        long applied = conf.getReplOffset();
        long at = sourceOffset(source);
        long now = System.nanoTime();
        if (at != sourceLast[0]) {
            sourceLast[0] = at;
            sourceLast[1] = now;
        }
        state.behind.set(Math.max(0, at - applied));
        boolean quietSince = now - sourceLast[1] >= quiet.toNanos();
        if ((applied >= at && quietSince) || now > deadline) {
            state.ended.set(true);
            close(replicator);
        } else {
            context.progress("following the source: " + state.commands.get() + " commands applied, "
                    + (at - applied) + " bytes behind");
        }
    }
}
