package io.biu.scheduler.event;

import io.biu.kit.bus.BusUri;
import io.biu.kit.lease.Leases;
import io.biu.scheduler.client.EventType;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the outbox to the bus, in sequence order, from one process at a time (the {@code relay} lease).
 *
 * <p>Each batch goes out in one MULTI, under WATCH of the last sequence and the stream: every event newer than the
 * stream's newest is added to it with the explicit id {@code <seq>-0}; each container event newer than the last
 * sequence updates its app's membership hash (field: container id, value: the container as the event describes it;
 * removed on {@code container.removed}); and the last sequence is stored. A batch counts as published only once its
 * EXEC ran every command: a discarded EXEC (the watched keys changed) or one the bus refused in part leaves it in the
 * outbox, and it is sent again next round. A consumer takes an atomic snapshot (membership + last sequence) and tails the
 * stream from there. Events already on the bus (a relay that died between EXEC and marking them
 * published) are skipped, so nothing is published twice; while the bus is down events wait in the
 * outbox. A bus that lost its data (restarted empty, flushed) is noticed by its missing last-sequence key:
 * the whole history is sent again, which rebuilds the stream and every membership hash.
 */
@Singleton
@Requires(property = "biu.scheduler.background", notEquals = "false")
public class EventRelay {

    private static final Logger LOG = LoggerFactory.getLogger(EventRelay.class);
    private static final Duration LEASE = Duration.ofSeconds(10);
    private static final int BATCH = 500;

    private final EventRepository events;
    private final Leases leases;
    private final BusConfig bus;
    private final JsonMapper json;
    private final RedisClient client;
    private StatefulRedisConnection<String, String> connection;
    private boolean failing;
    private final java.util.concurrent.atomic.AtomicBoolean nudged = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.ExecutorService nudges = java.util.concurrent.Executors.newSingleThreadExecutor(
            r -> {
                Thread t = new Thread(r, "relay-nudge");
                t.setDaemon(true);
                return t;
            });

    EventRelay(EventRepository events, Leases leases, BusConfig bus, JsonMapper json) {
        this.events = events;
        this.leases = leases;
        this.bus = bus;
        this.json = json;
        this.client = RedisClient.create(BusUri.of(bus.uri(), bus.user(), bus.passwordFile()));
        this.client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(2)).build())
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(5)))
                .build());
    }

    /** Publishes what waits in the outbox now rather than at the next tick (call once a change has committed). */
    public void nudge() {
        if (nudged.compareAndSet(false, true)) {
            nudges.execute(() -> {
                nudged.set(false);
                tick();
            });
        }
    }

    @Scheduled(fixedDelay = "${biu.scheduler.relay-interval}", initialDelay = "1s")
    synchronized void tick() {
        try {
            if (leases.hold("relay", LEASE)) {
                while (publishBatch() == BATCH) {
                    // a full batch: there may be more right away
                }
            }
            if (failing) {
                LOG.info("the bus at {} answers again; events flow", bus.uri());
                failing = false;
            }
        } catch (RuntimeException e) {
            if (!failing) {
                LOG.warn("cannot publish events to the bus at {} (they wait in the outbox): {}", bus.uri(),
                        e.toString());
                failing = true;
            }
            closeConnection();
        }
    }

    /**
     * Publishes up to one batch; returns how many outbox rows it handled, 0 when the bus changed under it (the batch
     * is sent again next round). Fails, leaving the batch unpublished, when the bus refused any part of it.
     */
    int publishBatch() {
        RedisCommands<String, String> redis = redis();
        // whatever else writes the last sequence or the stream (a relay that lost its lease and does not know it
        // yet) between these reads and EXEC makes the EXEC come back discarded
        redis.watch(bus.lastKey(), bus.stream());
        String lastText = redis.get(bus.lastKey());
        if (lastText == null && events.anyPublished()) {
            LOG.warn("the bus at {} has lost its events: publishing the whole history again", bus.uri());
            events.unpublishAll();
        }
        List<Event> batch = events.unpublished(BATCH);
        if (batch.isEmpty()) {
            redis.unwatch();
            return 0;
        }
        long last = lastText == null ? 0 : Long.parseLong(lastText);
        long top = streamTop(redis);
        List<Event> fresh = batch.stream().filter(e -> e.seq() > last).toList();
        long max = batch.get(batch.size() - 1).seq();
        if (fresh.isEmpty()) {
            redis.unwatch();
        } else {
            redis.multi();
            for (Event e : fresh) {
                if (e.seq() > top) {
                    redis.xadd(bus.stream(), new XAddArgs().id(e.seq() + "-0").maxlen(bus.maxLength())
                            .approximateTrimming(), Map.of("type", e.type(), "seq", String.valueOf(e.seq()),
                                    "json", e.payload()));
                }
                member(redis, e);
            }
            redis.set(bus.lastKey(), String.valueOf(Math.max(last, max)));
            TransactionResult result = redis.exec();
            if (result.wasDiscarded()) {
                LOG.warn("the bus at {} changed while events {}..{} were being published: nothing of them counts as "
                        + "published; they are sent again next round", bus.uri(), fresh.get(0).seq(), max);
                return 0;
            }
            refused(redis, result, lastText, fresh.get(0).seq(), max);
        }
        events.markPublished(max);
        return batch.size();
    }

    /** The sequence of the newest event on the stream (0 when there is none): older ones are not added again. */
    private long streamTop(RedisCommands<String, String> redis) {
        List<StreamMessage<String, String>> newest = redis.xrevrange(bus.stream(), Range.create("-", "+"),
                Limit.create(0, 1));
        return newest.isEmpty() ? 0 : Long.parseLong(newest.get(0).getId().replaceFirst("-.*", ""));
    }

    /**
     * Fails when the bus refused any command of the batch (Redis runs the others regardless). The last sequence,
     * which the EXEC set all the same, is put back, so that the next round applies the batch to the membership
     * hashes again; events that did reach the stream are not added again.
     */
    private void refused(RedisCommands<String, String> redis, TransactionResult result, @Nullable String lastText,
            long first, long max) {
        for (Object reply : result) {
            if (reply instanceof Exception refusal) {
                if (lastText == null) {
                    redis.del(bus.lastKey());
                } else {
                    redis.set(bus.lastKey(), lastText);
                }
                throw new IllegalStateException("the bus refused part of events " + first + ".." + max + " ("
                        + refusal.getMessage() + "): they stay unpublished and are sent again next round", refusal);
            }
        }
    }

    private void member(RedisCommands<String, String> redis, Event e) {
        if (!e.type().startsWith("container.")) {
            return;
        }
        Map<String, Object> container = container(e);
        String key = bus.membersKey(String.valueOf(container.get("tenant")), String.valueOf(container.get("app")));
        String field = String.valueOf(container.get("id"));
        if (e.type().equals(EventType.CONTAINER_REMOVED.wireName())) {
            redis.hdel(key, field);
        } else {
            try {
                redis.hset(key, field, json.writeValueAsString(container));
            } catch (IOException ex) {
                throw new IllegalStateException("cannot write membership of event " + e.seq(), ex);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> container(Event e) {
        try {
            Map<String, Object> payload = json.readValue(e.payload(), Map.class);
            return (Map<String, Object>) payload.get("container");
        } catch (IOException ex) {
            throw new IllegalStateException("event " + e.seq() + " has an unreadable payload", ex);
        }
    }

    private synchronized RedisCommands<String, String> redis() {
        if (connection == null || !connection.isOpen()) {
            connection = client.connect();
        }
        return connection.sync();
    }

    private synchronized void closeConnection() {
        if (connection != null) {
            connection.closeAsync();
            connection = null;
        }
    }

    @PreDestroy
    void close() {
        nudges.shutdownNow();
        closeConnection();
        client.shutdown();
    }
}
