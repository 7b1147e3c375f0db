package io.biu.redisctl.redis;

import io.biu.redisctl.CrashPoints;
import io.lettuce.core.MigrateArgs;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
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

        public Session(String password) {
            this.password = password;
        }

        StatefulRedisConnection<String, String> of(Endpoint e) {
            return connections.computeIfAbsent(e.id(), id -> redis.connect(e.host(), e.port(), password));
        }

        @Override
        public void close() {
            connections.values().forEach(StatefulRedisConnection::close);
        }
    }

    public Session session(String password) {
        return new Session(password);
    }

    public Moved move(int slot, Endpoint source, Endpoint target, Collection<Endpoint> masters, Session session,
            MigrationSettings settings, Throttle throttle) {
        String password = session.password;
        StatefulRedisConnection<String, String> src = session.of(source);
        StatefulRedisConnection<String, String> dst = session.of(target);
        {
            Moved moved = new Moved(0, List.of());
            if (!Topology.parse(dst.sync().clusterNodes()).myself().slots().contains(slot)) {
                dst.sync().clusterSetSlotImporting(slot, source.id());
                crash.passed("slot-importing");
                src.sync().clusterSetSlotMigrating(slot, target.id());
                crash.passed("slot-migrating");
                moved = moveKeys(slot, src, target, password, settings, throttle);
                crash.passed("slot-keys-moved");
                dst.sync().clusterSetSlotNode(slot, target.id());
                crash.passed("slot-owned");
            }
            // the source, then everyone else: a master still migrating the slot would keep sending ASKs
            src.sync().clusterSetSlotNode(slot, target.id());
            for (Endpoint m : masters) {
                if (!m.id().equals(source.id()) && !m.id().equals(target.id())) {
                    try {
                        session.of(m).sync().clusterSetSlotNode(slot, target.id());
                    } catch (RuntimeException e) {
                        // it learns the new owner from gossip (the target bumped its epoch)
                        LOG.debug("{} did not take slot {}'s new owner: {}", m.host(), slot, e.toString());
                    }
                }
            }
            crash.passed("slot-announced");
            return moved;
        }
    }

    private Moved moveKeys(int slot, StatefulRedisConnection<String, String> src, Endpoint target, String password,
            MigrationSettings settings, Throttle throttle) {
        RedisCommands<String, String> sync = src.sync();
        RedisAsyncCommands<String, String> async = src.async();
        long moved = 0;
        List<String> bigKeys = new ArrayList<>();
        while (true) {
            List<String> keys = sync.clusterGetKeysInSlot(slot, settings.batch() * settings.pipeline());
            if (keys.isEmpty()) {
                return new Moved(moved, bigKeys);
            }
            List<RedisFuture<Long>> sizes = new ArrayList<>(keys.size());
            for (String key : keys) {
                sizes.add(async.memoryUsage(key));
            }
            List<String> normal = new ArrayList<>(keys.size());
            List<String> big = new ArrayList<>();
            List<Long> bigSizes = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                Long size = await(sizes.get(i), settings.timeout());
                if (size != null && size > settings.bigKey()) {
                    big.add(keys.get(i));
                    bigSizes.add(size);
                } else {
                    normal.add(keys.get(i));
                }
            }
            List<RedisFuture<String>> batches = new ArrayList<>();
            for (int from = 0; from < normal.size(); from += settings.batch()) {
                List<String> batch = normal.subList(from, Math.min(normal.size(), from + settings.batch()));
                batches.add(async.migrate(target.host(), target.port(), 0, settings.timeout().toMillis(),
                        MigrateArgs.Builder.keys(batch).auth(password).replace()));
            }
            for (RedisFuture<String> b : batches) {
                await(b, settings.timeout().multipliedBy(batches.size() + 1));
            }
            for (int i = 0; i < big.size(); i++) {
                // a big key goes alone, with a timeout for its size (1 s per 8 MiB on top of the usual)
                long size = bigSizes.get(i);
                Duration timeout = settings.timeout().plusSeconds(size / (8L << 20));
                LOG.info("slot {}: key of {} bytes moved alone with a {} timeout", slot, size, timeout);
                bigKeys.add(big.get(i) + " (" + size + " bytes)");
                sync.migrate(target.host(), target.port(), 0, timeout.toMillis(),
                        MigrateArgs.Builder.keys(big.get(i)).auth(password).replace());
            }
            moved += keys.size();
            throttle.acquire(keys.size());
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
