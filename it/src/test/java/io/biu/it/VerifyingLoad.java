package io.biu.it;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client that keeps a cluster busy and checks it: writer threads each write unique keys, remember the
 * value of every write the cluster acknowledged, and read back earlier keys of their own, comparing
 * values. Lettuce follows MOVED and ASK redirections; anything else it reports is counted as an error.
 * Afterwards {@link #verify()} reads every acknowledged key back.
 */
final class VerifyingLoad implements AutoCloseable {

    private final RedisClusterClient client;
    private final StatefulRedisClusterConnection<String, String> connection;
    private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
    /** When each acknowledged write was acknowledged (System.nanoTime). */
    private final Map<String, Long> acknowledgedAt = new ConcurrentHashMap<>();
    private final List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    /** When each failed command was sent (System.nanoTime), in the order of {@link #errors}. */
    private final List<Long> errorNanos = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong firstErrorNanos = new AtomicLong();
    private final AtomicLong lastErrorNanos = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong wrongValues = new AtomicLong();
    private final AtomicLong unroutable = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    VerifyingLoad(String seed, String password) {
        client = RedisClusterClient.create(RedisURI.builder().withHost(seed).withPort(6379)
                .withAuthentication("default", password.toCharArray()).withTimeout(Duration.ofSeconds(10)).build());
        // a growing cluster redirects to masters the client has not seen yet: follow those too
        // a short connect timeout keeps a topology refresh from waiting 10 s on a node that is cut off
        client.setOptions(ClusterClientOptions.builder().maxRedirects(16).validateClusterNodeMembership(false)
                .socketOptions(io.lettuce.core.SocketOptions.builder().connectTimeout(Duration.ofSeconds(2)).build())
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder().enableAllAdaptiveRefreshTriggers()
                        .enablePeriodicRefresh(Duration.ofSeconds(2)).build())
                .build());
        connection = client.connect();
    }

    /** Writes {@code count} keys, pipelined, before the load starts, so that moves have data to carry. */
    void preload(int count) {
        List<RedisFuture<String>> pending = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String key = "pre:" + i;
            String value = "v" + i + ":" + ThreadLocalRandom.current().nextLong();
            pending.add(connection.async().set(key, value));
            acknowledged.put(key, value);
            if (pending.size() == 1000 || i == count - 1) {
                for (RedisFuture<String> f : pending) {
                    try {
                        if (!"OK".equals(f.get(30, TimeUnit.SECONDS))) {
                            throw new AssertionError("preload refused");
                        }
                    } catch (Exception e) {
                        throw new AssertionError("preload failed", e);
                    }
                }
                pending.clear();
            }
        }
    }

    /** Writes one key (a big one, say) and remembers it for {@link #verify()}. */
    void put(String key, String value) {
        if (!"OK".equals(connection.sync().set(key, value))) {
            throw new AssertionError("SET " + key + " refused");
        }
        acknowledged.put(key, value);
    }

    void start(int writers) {
        running = true;
        for (int t = 0; t < writers; t++) {
            int writer = t;
            Thread thread = new Thread(() -> loop(writer), "verifying-load-" + t);
            threads.add(thread);
            thread.start();
        }
    }

    private void loop(int writer) {
        List<String> mine = new ArrayList<>();
        long n = 0;
        while (running) {
            String key = "w" + writer + ":" + n++;
            String value = key + ":" + ThreadLocalRandom.current().nextLong();
            long issued = System.nanoTime();
            try {
                if ("OK".equals(routed(() -> connection.sync().set(key, value)))) {
                    acknowledgedAt.put(key, System.nanoTime());
                    acknowledged.put(key, value);
                    mine.add(key);
                    writes.incrementAndGet();
                }
                String earlier = mine.get(ThreadLocalRandom.current().nextInt(mine.size()));
                String read = routed(() -> connection.sync().get(earlier));
                reads.incrementAndGet();
                if (!acknowledged.get(earlier).equals(read)) {
                    wrongValues.incrementAndGet();
                    // each error with its time, both lists together: readers pair them by index
                    synchronized (errors) {
                        errors.add("read " + earlier + " = " + read + ", wrote " + acknowledged.get(earlier));
                        errorNanos.add(issued);
                    }
                }
            } catch (RuntimeException e) {
                synchronized (errors) {
                    errors.add(e.toString());
                    errorNanos.add(issued);
                }
                firstErrorNanos.compareAndSet(0, issued);
                lastErrorNanos.accumulateAndGet(issued, Math::max);
            }
            pause();
        }
    }

    /**
     * Runs a command, again while the client cannot tell which node serves its slot: a topology refresh can take
     * the view of a master that just joined and has not yet heard who owns every slot. Nothing was sent then, so
     * sending it once the client knows is safe; these are counted ({@link #unroutable()}), and after 2 s it fails.
     */
    private <T> T routed(java.util.function.Supplier<T> command) {
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (true) {
            try {
                return command.get();
            } catch (io.lettuce.core.cluster.PartitionSelectorException e) {
                unroutable.incrementAndGet();
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                pause();
            }
        }
    }

    /** Commands the client held back, not knowing the node of their slot, and sent once it did. */
    long unroutable() {
        return unroutable.get();
    }

    /** A writer does about 500 writes a second: enough to keep writes in flight, not to fill 64 MiB instances. */
    private static void pause() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    long writes() {
        return writes.get();
    }

    long reads() {
        return reads.get();
    }

    List<String> errors() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }

    /** The failures of commands sent at or after {@code nanos} (System.nanoTime), each with when it was sent. */
    List<String> errorsSince(long nanos) {
        List<String> since = new ArrayList<>();
        synchronized (errors) {
            for (int i = 0; i < errors.size(); i++) {
                if (errorNanos.get(i) >= nanos) {
                    since.add(String.format("+%.1f s: %s", (errorNanos.get(i) - nanos) / 1e9, errors.get(i)));
                }
            }
        }
        return since;
    }

    /**
     * From the first failed command to the last, by when they were sent (a command that times out fails a
     * timeout later); zero without errors.
     */
    Duration errorWindow() {
        return firstErrorNanos.get() == 0 ? Duration.ZERO : Duration.ofNanos(lastErrorNanos.get()
                - firstErrorNanos.get());
    }

    /** When the last failed command was sent (System.nanoTime), or 0. */
    long lastErrorNanos() {
        return lastErrorNanos.get();
    }

    void stop() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(30_000);
        }
    }

    /** Every acknowledged key that is missing or holds another value. */
    List<String> verify() {
        return check().stream().map(Map.Entry::getValue).toList();
    }

    /**
     * The keys {@link #verify()} finds missing or wrong whose write was acknowledged before {@code nanos}
     * (System.nanoTime), and the others: what a crash at {@code nanos} may have lost is told apart from what it must
     * not have.
     */
    Loss lossAround(long nanos) {
        List<String> before = new ArrayList<>();
        List<String> after = new ArrayList<>();
        for (Map.Entry<String, String> bad : check()) {
            Long at = acknowledgedAt.get(bad.getKey());
            (at == null || at < nanos ? before : after).add(bad.getValue());
        }
        return new Loss(before, after);
    }

    /**
     * The keys acknowledged before {@code nanos} (System.nanoTime) that another cluster, reached at {@code seed}, does
     * not hold with the same value: what a backup started at {@code nanos} and restored there must have brought.
     */
    List<String> missingFrom(String seed, String password, long nanos) {
        RedisClusterClient other = RedisClusterClient.create(RedisURI.builder().withHost(seed).withPort(6379)
                .withAuthentication("default", password.toCharArray()).withTimeout(Duration.ofSeconds(10)).build());
        try (StatefulRedisClusterConnection<String, String> c = other.connect()) {
            List<String> bad = new ArrayList<>();
            List<Map.Entry<String, String>> all = acknowledged.entrySet().stream()
                    .filter(e -> acknowledgedAt.getOrDefault(e.getKey(), Long.MIN_VALUE) < nanos).toList();
            for (int from = 0; from < all.size(); from += 1000) {
                List<Map.Entry<String, String>> chunk = all.subList(from, Math.min(all.size(), from + 1000));
                List<RedisFuture<String>> reads = new ArrayList<>();
                chunk.forEach(e -> reads.add(c.async().get(e.getKey())));
                for (int i = 0; i < chunk.size(); i++) {
                    try {
                        String value = reads.get(i).get(30, TimeUnit.SECONDS);
                        if (!chunk.get(i).getValue().equals(value)) {
                            bad.add(chunk.get(i).getKey() + " = " + value);
                        }
                    } catch (Exception e) {
                        bad.add(chunk.get(i).getKey() + ": " + e);
                    }
                }
            }
            return bad;
        } finally {
            other.shutdown();
        }
    }

    /** Lost writes acknowledged before a moment, and after it. */
    record Loss(List<String> before, List<String> after) {
    }

    /** Each acknowledged key that is missing or holds another value, with what was found. */
    private List<Map.Entry<String, String>> check() {
        List<Map.Entry<String, String>> bad = new ArrayList<>();
        List<Map.Entry<String, String>> all = new ArrayList<>(acknowledged.entrySet());
        for (int from = 0; from < all.size(); from += 1000) {
            List<Map.Entry<String, String>> chunk = all.subList(from, Math.min(all.size(), from + 1000));
            List<RedisFuture<String>> reads = new ArrayList<>();
            chunk.forEach(e -> reads.add(connection.async().get(e.getKey())));
            for (int i = 0; i < chunk.size(); i++) {
                try {
                    String value = reads.get(i).get(30, TimeUnit.SECONDS);
                    if (!chunk.get(i).getValue().equals(value)) {
                        bad.add(Map.entry(chunk.get(i).getKey(), chunk.get(i).getKey() + " = " + value));
                    }
                } catch (Exception e) {
                    bad.add(Map.entry(chunk.get(i).getKey(), chunk.get(i).getKey() + ": " + e));
                }
            }
        }
        return bad;
    }

    int acknowledgedKeys() {
        return acknowledged.size();
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        connection.close();
        client.shutdown();
    }
}
