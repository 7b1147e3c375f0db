package io.biu.proxy.server;

import io.biu.proxy.cluster.Address;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one event loop owns: its connections to the backends (shared by all the clients of the loop, so
 * nothing crosses threads; its clients' own connections for blocking commands are listed here too, for the
 * {@link BackendWatch}) and the flushes it owes. Writes during a loop iteration are not flushed one by
 * one: the channels written to are flushed once, after the iteration's reads, so fifty clients' commands to
 * one master leave in one system call; the connections to the cluster go first, then the clients.
 */
final class LoopState {

    /** A channel with writes to flush. */
    interface Flushable {
        void flushNow();
    }

    final EventLoop eventLoop;
    private final Map<Address, BackendConnection> backends = new HashMap<>();
    /** Connections of single clients ({@link DedicatedConnections}), which own them. */
    private final Set<BackendConnection> dedicated = new HashSet<>();
    private final Dirty toCluster = new Dirty();
    private final Dirty toClients = new Dirty();
    private boolean flushScheduled;
    private final Runnable flushAll = this::flushAll;
    private long now = System.nanoTime();

    LoopState(EventLoop eventLoop) {
        this.eventLoop = eventLoop;
    }

    /**
     * Reads the clock ({@link System#nanoTime}) for what happens next on this loop: called once as each read, timer
     * or connection event starts, so that the commands it starts or finishes share a reading instead of each
     * paying for its own (at a million commands a second, clock reads were 5% of the loop's time).
     */
    long tick() {
        return now = System.nanoTime();
    }

    /** The clock as the current event's {@link #tick} read it. */
    long now() {
        return now;
    }

    BackendConnection backend(Address address) {
        return backends.get(address);
    }

    void put(BackendConnection connection) {
        backends.put(connection.address, connection);
    }

    /** A client's own connection, on this loop. */
    void putDedicated(BackendConnection connection) {
        dedicated.add(connection);
    }

    void remove(BackendConnection connection) {
        backends.remove(connection.address, connection);
        dedicated.remove(connection);
    }

    /** Every open connection of this loop to the cluster, shared or a client's own, into {@code into}. */
    void connections(List<BackendConnection> into) {
        into.addAll(backends.values());
        into.addAll(dedicated);
    }

    /** Flushes a client's channel with the others, once the loop has run what is ready now. */
    void flushLater(Flushable f) {
        toClients.add(f);
        flushAllSoon();
    }

    /**
     * As {@link #flushLater}, for a connection to the cluster, which is flushed before the clients: commands
     * leave first, so that the instances work on them while this loop is still writing replies.
     */
    void flushFirst(Flushable f) {
        toCluster.add(f);
        flushAllSoon();
    }

    /** Flushes every dirty channel once the loop has run what is ready now. */
    void flushAllSoon() {
        if (!flushScheduled && !(toCluster.isEmpty() && toClients.isEmpty())) {
            flushScheduled = true;
            eventLoop.execute(flushAll);
        }
    }

    private void flushAll() {
        flushScheduled = false;
        toCluster.flush();
        toClients.flush();
    }

    /** Channels waiting for a flush, in the order they were written to. */
    private static final class Dirty {
        private List<Flushable> channels = new ArrayList<>();
        /** The list flushed last time, kept empty for reuse: flushing may dirty channels again. */
        private List<Flushable> spare = new ArrayList<>();

        void add(Flushable f) {
            channels.add(f);
        }

        boolean isEmpty() {
            return channels.isEmpty();
        }

        void flush() {
            List<Flushable> now = channels;
            channels = spare;
            for (int i = 0; i < now.size(); i++) {
                now.get(i).flushNow();
            }
            now.clear();
            spare = now;
        }
    }

    /** Appends {@code in} to {@code cumulation} (released either way), returning the buffer to keep. */
    ByteBuf cumulate(ByteBuf cumulation, ByteBuf in) {
        try {
            if (cumulation.refCnt() == 1 && cumulation.maxWritableBytes() >= in.readableBytes()
                    && !(cumulation instanceof CompositeByteBuf) && !cumulation.isReadOnly()) {
                if (cumulation.writableBytes() < in.readableBytes()) {
                    cumulation.discardSomeReadBytes();
                }
                cumulation.writeBytes(in);
                return cumulation;
            }
            // slices of the old buffer are still out there (replies or requests in flight): copy
            ByteBuf next = in.alloc().buffer(cumulation.readableBytes() + in.readableBytes());
            next.writeBytes(cumulation).writeBytes(in);
            cumulation.release();
            return next;
        } finally {
            in.release();
        }
    }
}
