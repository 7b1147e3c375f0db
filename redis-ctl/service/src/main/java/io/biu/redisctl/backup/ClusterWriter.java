package io.biu.redisctl.backup;

import io.biu.redisctl.plan.Topology;
import io.biu.redisctl.redis.RedisAdmin;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RestoreArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes keys into a cluster as {@code RESTORE key ttl payload REPLACE ABSTTL}, each to the master that owns its slot
 * (hash tags honoured), in pipelined batches per master: a batch's commands are sent without waiting, and their
 * replies are awaited when the batch is full. {@code REPLACE} makes a write that is repeated (a load resumed after a
 * crash) harmless. A key whose expiry has passed is not written. An online import's commands go the same way, each
 * behind the writes sent to its master before it.
 */
final class ClusterWriter implements AutoCloseable {

    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, StatefulRedisConnection<byte[], byte[]>> connections = new HashMap<>();
    private final Map<String, List<RedisFuture<?>>> pending = new HashMap<>();
    private final Map<String, String> addresses = new HashMap<>();
    private final String[] ownerOfSlot = new String[SlotHash.SLOT_COUNT];
    private final int batch;
    private long written;
    private long expired;

    /** Connections to every master of {@code target} that owns slots; every slot must have an owner. */
    ClusterWriter(RedisAdmin redis, Topology target, String password, int batch) {
        this.batch = batch;
        Map<Integer, String> owners = target.owners();
        if (owners.size() != SlotHash.SLOT_COUNT) {
            throw new IllegalStateException("the target cluster serves " + owners.size() + " of "
                    + SlotHash.SLOT_COUNT + " slots: every slot needs a master before keys are loaded");
        }
        owners.forEach((slot, owner) -> ownerOfSlot[slot] = owner);
        try {
            for (String owner : owners.values().stream().distinct().toList()) {
                Topology.Node master = target.node(owner);
                connections.put(owner, redis.connectBinary(master.host(), master.port(), password));
                pending.put(owner, new ArrayList<>());
                addresses.put(owner, master.host() + ":" + master.port());
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    void write(RdbKeys.Key key, long nowMs) {
        if (key.expireAtMs() != 0 && key.expireAtMs() <= nowMs) {
            expired++;
            return;
        }
        String owner = ownerOfSlot[SlotHash.getSlot(key.name())];
        RestoreArgs args = new RestoreArgs().replace().ttl(key.expireAtMs());
        if (key.expireAtMs() != 0) {
            args.absttl();
        }
        send(owner, connections.get(owner).async().restore(key.name(), key.payload(), args));
    }

    /** One command of a source's stream, to the master that owns its key's slot, after what was sent there before. */
    void apply(CommandStream.Routed command) {
        String owner = ownerOfSlot[SlotHash.getSlot(command.key())];
        CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE);
        for (byte[] arg : command.args()) {
            args.add(arg);
        }
        send(owner, connections.get(owner).async().dispatch(new Keyword(command.name()), new AnyReply(), args));
    }

    private void send(String owner, RedisFuture<?> reply) {
        List<RedisFuture<?>> batchOf = pending.get(owner);
        batchOf.add(reply);
        if (batchOf.size() >= batch) {
            await(owner);
        }
    }

    /** Waits for every reply still due; throws on the first error. */
    void flush() {
        for (String owner : pending.keySet()) {
            await(owner);
        }
    }

    long written() {
        return written;
    }

    long expired() {
        return expired;
    }

    private void await(String owner) {
        List<RedisFuture<?>> futures = pending.get(owner);
        for (RedisFuture<?> f : futures) {
            try {
                f.get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
                throw new IllegalStateException("master " + address(owner) + " refused a write: "
                        + e.getCause().getMessage(), e.getCause());
            } catch (TimeoutException e) {
                throw new IllegalStateException("master " + address(owner) + " did not answer a write within "
                        + REPLY_TIMEOUT.toSeconds() + " s");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            written++;
        }
        futures.clear();
    }

    private String address(String owner) {
        return addresses.get(owner);
    }

    /** A command named by the source. */
    private record Keyword(byte[] bytes) implements ProtocolKeyword {
        @Override
        public byte[] getBytes() {
            return bytes;
        }

        @Override
        public String toString() {
            return new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** Whatever a command answers, which is only waited for: errors fail the future. */
    private static final class AnyReply extends CommandOutput<byte[], byte[], Object> {
        AnyReply() {
            super(ByteArrayCodec.INSTANCE, null);
        }

        @Override
        public void set(ByteBuffer bytes) {
        }

        @Override
        public void set(long integer) {
        }

        @Override
        public void set(double number) {
        }

        @Override
        public void set(boolean value) {
        }

        @Override
        public void multi(int count) {
        }
    }

    @Override
    public void close() {
        connections.values().forEach(StatefulRedisConnection::close);
    }
}
