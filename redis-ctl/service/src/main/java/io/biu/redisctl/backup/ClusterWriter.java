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
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Writes keys into a cluster as {@code RESTORE key ttl payload REPLACE ABSTTL}, each to the master that owns its slot
 * (hash tags honoured), pipelined: commands are written to the sockets a batch at a time (one write per master, not
 * one per command), and at most two batches' replies are due per master, so a master has the next batch while its
 * replies to the last come back. {@code REPLACE} makes a write that is repeated (a load resumed after a crash)
 * harmless. A key whose expiry has passed is not written. An online import's commands go the same way, each behind the
 * writes sent to its master before it. Not thread-safe: one writer per reader.
 */
final class ClusterWriter implements AutoCloseable {

    private static final Duration REPLY_TIMEOUT = Duration.ofSeconds(30);

    private final Map<String, StatefulRedisConnection<byte[], byte[]>> connections = new HashMap<>();
    /** Per master, the replies still due, oldest first. */
    private final Map<String, ArrayDeque<RedisFuture<?>>> pending = new HashMap<>();
    /** Commands queued since the sockets were last written to. */
    private int unflushed;
    private final Map<String, String> addresses = new HashMap<>();
    private final String[] ownerOfSlot = new String[SlotHash.SLOT_COUNT];
    private final int batch;
    private long written;
    private long expired;

    /**
     * Connections to every master of {@code target} that owns slots; every slot must have an owner. Unless
     * {@code buffered}, every command goes out as it is made: a stream that may stall (a live source) must not leave
     * commands unsent while their reply deadline runs.
     */
    ClusterWriter(RedisAdmin redis, Topology target, String password, int batch, boolean buffered) {
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
                StatefulRedisConnection<byte[], byte[]> connection =
                        redis.connectBinary(master.host(), master.port(), password);
                connection.setAutoFlushCommands(!buffered);
                connections.put(owner, connection);
                pending.put(owner, new ArrayDeque<>());
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
        send(owner, connections.get(owner).async().restore(key.name(), key.payload(), args), false);
    }

    /**
     * One command of a source's stream, to the master that owns its key's slot, after what was sent there before. It
     * goes out at once: a source's writes trickle in, and each should reach the target without waiting for a batch.
     */
    void apply(CommandStream.Routed command) {
        String owner = ownerOfSlot[SlotHash.getSlot(command.key())];
        CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE);
        for (byte[] arg : command.args()) {
            args.add(arg);
        }
        send(owner, connections.get(owner).async().dispatch(new Keyword(command.name()), new AnyReply(), args), true);
    }

    /**
     * Every {@code batch} commands, whichever masters they went to, every master's buffered commands go out, so none
     * waits long unsent (a backup's file may hold the keys of one master only, and a command's reply deadline runs
     * from the moment it is queued); then the replies of any master more than two batches behind are awaited.
     */
    private void send(String owner, RedisFuture<?> reply, boolean now) {
        ArrayDeque<RedisFuture<?>> due = pending.get(owner);
        due.add(reply);
        if (now) {
            connections.get(owner).flushCommands();
        }
        if (++unflushed >= batch) {
            sendBuffered();
            pending.forEach((master, replies) -> {
                while (replies.size() > 2 * batch) {
                    await(master, replies.poll());
                }
            });
        }
    }

    private void sendBuffered() {
        connections.values().forEach(StatefulRedisConnection::flushCommands);
        unflushed = 0;
    }

    /** Sends what is still buffered and waits for every reply still due; throws on the first error. */
    void flush() {
        sendBuffered();
        pending.forEach((owner, due) -> {
            while (!due.isEmpty()) {
                await(owner, due.poll());
            }
        });
    }

    long written() {
        return written;
    }

    long expired() {
        return expired;
    }

    private void await(String owner, RedisFuture<?> reply) {
        try {
            reply.get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
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
