package io.biu.redisctl.redis;

import io.biu.kit.crash.CrashPoints;
import io.biu.redisctl.client.SlotMoveStep;
import io.biu.redisctl.plan.Topology;
import io.biu.redisctl.task.TaskContext;
import io.lettuce.core.MigrateArgs;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import jakarta.inject.Singleton;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves one hash slot from a master to another without losing a key: the target is set importing and the
 * source migrating (so clients are sent to the target, with ASK, for keys already moved), the keys go over
 * in batches with {@code MIGRATE ... KEYS}, several batches in flight on one connection, and then every
 * master learns the slot's new owner. Keys bigger than {@link MigrationSettings#bigKey()} are found before
 * they are sent, reported, and sent alone with a timeout sized for them.
 *
 * <p>Calling {@link #move} again for a slot whose move was interrupted at any point finishes that move.
 */
@Singleton
public class SlotMover {

    private static final Logger LOG = LoggerFactory.getLogger(SlotMover.class);
    /** KEYS: keys of one slot; ARGV[1]: a size in bytes. Returns each bigger key followed by its size. */
    private static final String BIG_KEYS = """
            local big = {}
            local threshold = tonumber(ARGV[1])
            for _, key in ipairs(KEYS) do
              local size = redis.call('MEMORY', 'USAGE', key)
              if size and size > threshold then
                big[#big + 1] = key
                big[#big + 1] = size
              end
            end
            return big""";

    private final RedisAdmin redis;
    private final CrashPoints crash;

    SlotMover(RedisAdmin redis, CrashPoints crash) {
        this.redis = redis;
        this.crash = crash;
    }

    /** A master as a move needs it. */
    public record Endpoint(String id, String host, int port) {
    }

    /** What a move did: keys moved, and the big keys met (each "key (size)"). */
    public record Moved(long keys, List<String> bigKeys) {
    }

    /** Connections to the masters, opened once for all the moves of a run; Lettuce's are thread-safe. */
    public final class Session implements AutoCloseable {
        private final String password;
        private final Map<String, StatefulRedisConnection<String, String>> connections = new ConcurrentHashMap<>();
        private final Map<String, StatefulRedisConnection<byte[], byte[]>> keyConnections = new ConcurrentHashMap<>();

        public Session(String password) {
            this.password = password;
        }

        StatefulRedisConnection<String, String> of(Endpoint e) {
            return connections.computeIfAbsent(e.id(), id -> redis.connect(e.host(), e.port(), password));
        }

        /** A connection for moving keys, which are bytes. */
        StatefulRedisConnection<byte[], byte[]> keysOf(Endpoint e) {
            return keyConnections.computeIfAbsent(e.id(), id -> redis.connectBinary(e.host(), e.port(), password));
        }

        @Override
        public void close() {
            connections.values().forEach(StatefulRedisConnection::close);
            keyConnections.values().forEach(StatefulRedisConnection::close);
        }
    }

    public Session session(String password) {
        return new Session(password);
    }

    public Moved move(int slot, Endpoint source, Endpoint target, Collection<Endpoint> masters, Session session,
            MigrationSettings settings, Throttle throttle, TaskContext context) {
        return move(List.of(slot), source, target, masters, session, settings, throttle, context);
    }

    /**
     * Moves {@code slots} from {@code source} to {@code target}, all at once: each command goes to every slot
     * in one pipeline (importing, migrating, reading keys, MIGRATE, the new owner), so a move of many slots
     * costs a few round trips rather than a few per slot. Each round of commands is sent only while the task's run
     * holds its claim ({@link TaskContext#ensureHeld}): a run that lost it stops between rounds.
     */
    public Moved move(List<Integer> slots, Endpoint source, Endpoint target, Collection<Endpoint> masters,
            Session session, MigrationSettings settings, Throttle throttle, TaskContext context) {
        RedisAsyncCommands<String, String> src = session.of(source).async();
        RedisAsyncCommands<String, String> dst = session.of(target).async();
        Set<Integer> owned = new HashSet<>(Topology.parse(session.of(target).sync().clusterNodes()).myself().slots());
        List<Integer> todo = slots.stream().filter(s -> !owned.contains(s)).toList();
        Moved moved = new Moved(0, List.of());
        Duration timeout = settings.timeout();
        if (!todo.isEmpty()) {
            context.ensureHeld();
            awaitAll(todo.stream().map(s -> dst.clusterSetSlotImporting(s, source.id())).toList(), timeout);
            crash.passed(SlotMoveStep.IMPORTING.id());
            context.ensureHeld();
            awaitAll(todo.stream().map(s -> src.clusterSetSlotMigrating(s, target.id())).toList(), timeout);
            crash.passed(SlotMoveStep.MIGRATING.id());
            int port = RedisAdmin.migrationPort(session.of(target).sync(), target.port());
            moved = moveKeys(todo, session.keysOf(source), target.host(), port, session.password, settings, throttle,
                    context);
            crash.passed(SlotMoveStep.KEYS_MOVED.id());
            context.ensureHeld();
            awaitAll(todo.stream().map(s -> dst.clusterSetSlotNode(s, target.id())).toList(), timeout);
            crash.passed(SlotMoveStep.OWNED.id());
        }
        // the source, then everyone else: a master still migrating a slot would keep sending ASKs
        context.ensureHeld();
        try {
            awaitAll(slots.stream().map(s -> src.clusterSetSlotNode(s, target.id())).toList(), timeout);
        } catch (RedisCommandExecutionException e) {
            // a master whose last slot left may already follow the master that took it (replica migration):
            // it has nothing open any more
            if (e.getMessage() == null || !e.getMessage().contains("only with masters")) {
                throw e;
            }
        }
        for (Endpoint m : masters) {
            if (!m.id().equals(source.id()) && !m.id().equals(target.id())) {
                context.ensureHeld();
                try {
                    RedisAsyncCommands<String, String> other = session.of(m).async();
                    awaitAll(slots.stream().map(s -> other.clusterSetSlotNode(s, target.id())).toList(), timeout);
                } catch (RuntimeException e) {
                    // it learns the new owners from gossip (the target bumped its epoch)
                    LOG.debug("{} did not take the new owner of {} slots: {}", m.host(), slots.size(), e.toString());
                }
            }
        }
        crash.passed(SlotMoveStep.ANNOUNCED.id());
        return moved;
    }

    /**
     * Moves the keys of slots that are migrating. Keys the slot gets meanwhile are created on the target (the
     * source answers ASK for keys it lacks), so a slot whose keys came back fewer than asked for is done.
     */
    private Moved moveKeys(List<Integer> slots, StatefulRedisConnection<byte[], byte[]> src, String host, int port,
            String password, MigrationSettings settings, Throttle throttle, TaskContext context) {
        RedisAsyncCommands<byte[], byte[]> async = src.async();
        int limit = settings.batch() * settings.pipeline();
        Duration timeout = settings.timeout();
        long moved = 0;
        List<String> bigKeys = new ArrayList<>();
        List<Integer> open = new ArrayList<>(slots);
        while (!open.isEmpty()) {
            context.ensureHeld();
            List<RedisFuture<List<byte[]>>> listed = new ArrayList<>();
            open.forEach(s -> listed.add(async.clusterGetKeysInSlot(s, limit)));
            Map<Integer, List<byte[]>> keysBySlot = new LinkedHashMap<>();
            for (int i = 0; i < open.size(); i++) {
                List<byte[]> keys = await(listed.get(i), timeout);
                if (!keys.isEmpty()) {
                    keysBySlot.put(open.get(i), keys);
                }
            }
            Map<ByteBuffer, Long> big = bigKeys(async, keysBySlot.values(), settings);
            List<RedisFuture<String>> batches = new ArrayList<>();
            for (List<byte[]> keys : keysBySlot.values()) {
                List<byte[]> normal = new ArrayList<>(keys.size());
                for (byte[] key : keys) {
                    Long size = big.get(ByteBuffer.wrap(key));
                    if (size == null) {
                        normal.add(key);
                        continue;
                    }
                    // a big key goes alone, with a timeout for its size (1 s per 8 MiB on top of the usual)
                    Duration bigTimeout = timeout.plusSeconds(size / (8L << 20));
                    String name = new String(key, StandardCharsets.UTF_8);
                    LOG.info("key {} of {} bytes is moved alone with a {} timeout", name, size, bigTimeout);
                    bigKeys.add(name + " (" + size + " bytes)");
                    context.ensureHeld();
                    await(async.migrate(host, port, 0, bigTimeout.toMillis(),
                            MigrateArgs.Builder.keys(List.of(key)).auth(password).replace()), bigTimeout.plus(timeout));
                }
                context.ensureHeld();
                for (int from = 0; from < normal.size(); from += settings.batch()) {
                    batches.add(async.migrate(host, port, 0, timeout.toMillis(),
                            MigrateArgs.Builder.keys(normal.subList(from, Math.min(normal.size(),
                                    from + settings.batch()))).auth(password).replace()));
                }
            }
            awaitAll(batches, timeout.multipliedBy(batches.size() + 1L));
            int listedKeys = keysBySlot.values().stream().mapToInt(List::size).sum();
            moved += listedKeys;
            throttle.acquire(listedKeys);
            List<Integer> again = new ArrayList<>();
            keysBySlot.forEach((slot, keys) -> {
                if (keys.size() >= limit) {
                    again.add(slot);
                }
            });
            open = again;
        }
        return new Moved(moved, bigKeys);
    }

    /**
     * The keys bigger than {@link MigrationSettings#bigKey()}, with their sizes: one script per slot measures
     * them on the source (MEMORY USAGE), rather than one round of commands per key. A slot where a listed key
     * has vanished since is measured key by key, a vanished key counting as small.
     */
    private static Map<ByteBuffer, Long> bigKeys(RedisAsyncCommands<byte[], byte[]> async,
            Collection<List<byte[]>> keysBySlot, MigrationSettings settings) {
        byte[] threshold = Long.toString(settings.bigKey()).getBytes(StandardCharsets.US_ASCII);
        List<RedisFuture<List<Object>>> measured = new ArrayList<>();
        for (List<byte[]> keys : keysBySlot) {
            measured.add(async.eval(BIG_KEYS, ScriptOutputType.MULTI, keys.toArray(byte[][]::new), threshold));
        }
        Map<ByteBuffer, Long> big = new HashMap<>();
        int i = 0;
        for (List<byte[]> keys : keysBySlot) {
            List<Object> found;
            try {
                found = await(measured.get(i++), settings.timeout());
            } catch (RedisCommandExecutionException e) {
                found = oneByOne(async, keys, settings);
            }
            for (int k = 0; k + 1 < found.size(); k += 2) {
                big.put(ByteBuffer.wrap((byte[]) found.get(k)), (Long) found.get(k + 1));
            }
        }
        return big;
    }

    private static List<Object> oneByOne(RedisAsyncCommands<byte[], byte[]> async, List<byte[]> keys,
            MigrationSettings settings) {
        List<RedisFuture<Long>> sizes = keys.stream().map(async::memoryUsage).toList();
        List<Object> found = new ArrayList<>();
        for (int k = 0; k < keys.size(); k++) {
            try {
                Long size = await(sizes.get(k), settings.timeout());
                if (size != null && size > settings.bigKey()) {
                    found.add(keys.get(k));
                    found.add(size);
                }
            } catch (RedisCommandExecutionException e) {
                // gone from the source since it was listed (ASK): nothing to measure
            }
        }
        return found;
    }

    private static <T> void awaitAll(List<RedisFuture<T>> futures, Duration timeout) {
        for (RedisFuture<T> f : futures) {
            await(f, timeout);
        }
    }

    private static <T> T await(RedisFuture<T> future, Duration timeout) {
        try {
            if (!future.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("Redis did not answer within " + timeout);
            }
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }
}
