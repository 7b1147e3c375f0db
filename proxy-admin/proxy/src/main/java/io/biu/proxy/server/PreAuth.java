package io.biu.proxy.server;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * What a client may do before it authenticated, shared by all of one proxy's clients: send small commands only
 * ({@link #MAX_REQUEST_BYTES}, {@link #MAX_ARGS}), hold at most {@link ProxyConfig#maxUnauthenticatedPerSource()}
 * such connections per source address, authenticate within {@link ProxyConfig#authTimeout()}, and fail AUTH at most
 * {@link ProxyConfig#maxAuthFailures()} times per connection. Failed AUTHs are logged at most once a second, with
 * the count since the last line and the latest source (the total is in INFO).
 */
final class PreAuth {

    /** The largest command read before authentication: AUTH or HELLO with a name and password fit easily. */
    static final int MAX_REQUEST_BYTES = 4096;
    /** The most arguments read before authentication: HELLO 2 AUTH user pass SETNAME name has 7. */
    static final int MAX_ARGS = 8;

    private static final Logger LOG = Logger.getLogger(PreAuth.class.getName());

    private final int perSource;
    private final ConcurrentHashMap<String, Integer> waiting = new ConcurrentHashMap<>();
    private final AtomicLong lastLogNanos = new AtomicLong(System.nanoTime() - 1_000_000_000L);
    private final AtomicLong unlogged = new AtomicLong();

    PreAuth(int perSource) {
        this.perSource = perSource;
    }

    /** The source of a client's connection: its IP address (the whole address for other kinds of channel). */
    static String source(SocketAddress remote) {
        return remote instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : String.valueOf(remote);
    }

    /** Takes a place for one more unauthenticated connection from {@code source}; false if it has none left. */
    boolean admit(String source) {
        boolean[] admitted = {false};
        waiting.compute(source, (s, n) -> {
            int now = n == null ? 0 : n;
            if (now >= perSource) {
                return n;
            }
            admitted[0] = true;
            return now + 1;
        });
        return admitted[0];
    }

    /** Gives back the place {@link #admit} took: the connection authenticated or closed. */
    void leave(String source) {
        waiting.computeIfPresent(source, (s, n) -> n <= 1 ? null : n - 1);
    }

    /** Unauthenticated connections from {@code source} now. */
    int waiting(String source) {
        return waiting.getOrDefault(source, 0);
    }

    /** A failed AUTH from {@code source}, logged at most once a second. */
    void failed(String source) {
        unlogged.incrementAndGet();
        long now = System.nanoTime();
        long last = lastLogNanos.get();
        if (now - last >= 1_000_000_000L && lastLogNanos.compareAndSet(last, now)) {
            LOG.warning(unlogged.getAndSet(0) + " failed AUTH since the last report, the latest from " + source);
        }
    }
}
