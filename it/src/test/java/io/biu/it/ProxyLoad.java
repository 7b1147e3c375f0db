package io.biu.it;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client looping through the Biu proxy: writer threads, each on its own standalone connection (the proxy
 * is one Redis server to them), SET unique keys, then GET the key just written and an earlier one of their
 * own, comparing values; pipelining writers keep many commands in flight on one connection, and streaming
 * writers check that one connection's commands run in the order sent. Every failed command is counted with when it was sent and when it failed, so the
 * span clients saw errors can be measured; {@link #verify()} reads every acknowledged key back afterwards.
 */
final class ProxyLoad implements AutoCloseable {

    private final RedisClient client;
    private final RedisURI uri;
    private final String prefix;
    private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
    private final List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<String> wrong = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicLong firstErrorSentNanos = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong lastErrorSeenNanos = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong missingReads = new AtomicLong();
    private final AtomicLong slowestNanos = new AtomicLong();
    private final AtomicLong longestWaitNanos = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    /** The streaming writers' lists, and the numbers acknowledged for each. */
    private final List<String> lists = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Set<Long>> pushed = new ConcurrentHashMap<>();
    private final List<StatefulRedisConnection<String, String>> connections = new ArrayList<>();
    private volatile boolean running;

    ProxyLoad(RedisClient client, RedisURI uri, String prefix) {
        this.client = client;
        this.uri = uri;
        this.prefix = prefix;
    }

    void start(int writers) {
        running = true;
        for (int t = 0; t < writers; t++) {
            StatefulRedisConnection<String, String> c = client.connect(uri);
            connections.add(c);
            int writer = t;
            Thread thread = new Thread(() -> loop(writer, c), "proxy-load-" + t);
            threads.add(thread);
            thread.start();
        }
    }

    /**
     * Writers that pipeline: each keeps {@code depth} keys in flight on its connection, every key written
     * twice and read back behind its writes (SET a, SET b, GET: b, and b for good), so that a reply out of
     * order, or a write overtaken by the one after it while slots move, shows as a wrong value.
     */
    void startPipelined(int writers, int depth) {
        running = true;
        for (int t = 0; t < writers; t++) {
            StatefulRedisConnection<String, String> c = client.connect(uri);
            connections.add(c);
            int writer = t;
            Thread thread = new Thread(() -> pipelined(writer, c, depth), "proxy-load-pipelined-" + t);
            threads.add(thread);
            thread.start();
        }
    }

    private void pipelined(int writer, StatefulRedisConnection<String, String> c, int depth) {
        long n = 0;
        while (running) {
            long sent = System.nanoTime();
            List<String> keys = new ArrayList<>(depth);
            List<String> values = new ArrayList<>(depth);
            List<RedisFuture<String>> replies = new ArrayList<>(depth * 3);
            for (int i = 0; i < depth; i++) {
                String key = prefix + "p" + writer + ":" + n++;
                String value = key + ":b:" + ThreadLocalRandom.current().nextLong();
                keys.add(key);
                values.add(value);
                replies.add(c.async().set(key, key + ":a"));
                replies.add(c.async().set(key, value));
                replies.add(c.async().get(key));
            }
            for (int i = 0; i < depth; i++) {
                try {
                    String first = replies.get(3 * i).get(30, TimeUnit.SECONDS);
                    String second = replies.get(3 * i + 1).get(30, TimeUnit.SECONDS);
                    String read = replies.get(3 * i + 2).get(30, TimeUnit.SECONDS);
                    if ("OK".equals(first) && "OK".equals(second)) {
                        acknowledged.put(keys.get(i), values.get(i));
                        writes.incrementAndGet();
                        check(keys.get(i), read);
                    } else {
                        wrong.add("SET " + keys.get(i) + " answered " + first + ", " + second);
                    }
                } catch (Exception e) {
                    long seen = System.nanoTime();
                    errors.add(String.format("%.3f s: %s", (seen - sent) / 1e9,
                            e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e));
                    firstErrorSentNanos.accumulateAndGet(sent, Math::min);
                    lastErrorSeenNanos.accumulateAndGet(seen, Math::max);
                    if (e instanceof InterruptedException) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Writers that stream: each RPUSHes increasing numbers to {@code keys} lists round robin, {@code perSecond}
     * a second, with up to {@code inFlight} commands unanswered on its one connection, never waiting for a
     * reply before sending the next. One connection's commands run in the order sent, so each list must read back increasing,
     * whatever moves or fails over meanwhile ({@link #orderViolations()}).
     */
    void startOrdered(int writers, int keys, int inFlight, int perSecond) {
        running = true;
        for (int t = 0; t < writers; t++) {
            StatefulRedisConnection<String, String> c = client.connect(uri);
            connections.add(c);
            int writer = t;
            Thread thread = new Thread(() -> ordered(writer, c, keys, inFlight, perSecond),
                    "proxy-load-ordered-" + t);
            threads.add(thread);
            thread.start();
        }
    }

    private void ordered(int writer, StatefulRedisConnection<String, String> c, int keys, int inFlight,
            int perSecond) {
        java.util.concurrent.Semaphore window = new java.util.concurrent.Semaphore(inFlight);
        for (int k = 0; k < keys; k++) {
            lists.add(prefix + "list" + writer + ":" + k);
        }
        long n = 0;
        long started = System.nanoTime();
        try {
            while (running) {
                window.acquire();
                String key = prefix + "list" + writer + ":" + (n % keys);
                long value = n++;
                long sent = System.nanoTime();
                c.async().rpush(key, Long.toString(value)).whenComplete((length, e) -> {
                    window.release();
                    if (e != null) {
                        long seen = System.nanoTime();
                        errors.add(String.format("%.3f s: RPUSH %s %d: %s", (seen - sent) / 1e9, key, value, e));
                        firstErrorSentNanos.accumulateAndGet(sent, Math::min);
                        lastErrorSeenNanos.accumulateAndGet(seen, Math::max);
                    } else {
                        pushed.computeIfAbsent(key, x -> ConcurrentHashMap.newKeySet()).add(value);
                        writes.incrementAndGet();
                    }
                });
                // at a steady rate, as an application's shared connection sends: on through a failover
                long next = started + n * 1_000_000_000L / perSecond;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
            }
            window.tryAcquire(inFlight, 60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Lists of the streaming writers whose numbers do not increase: a command that ran after one sent after
     * it on the same connection. Each entry names the list and the first pair out of order.
     */
    List<String> orderViolations() {
        List<String> bad = new ArrayList<>();
        try (StatefulRedisConnection<String, String> c = client.connect(uri)) {
            for (String key : lists) {
                List<String> values = c.sync().lrange(key, 0, -1);
                long previous = -1;
                int inversions = 0;
                String first = null;
                for (String v : values) {
                    long n = Long.parseLong(v);
                    if (n <= previous) {
                        inversions++;
                        if (first == null) {
                            first = previous + " before " + n;
                        }
                    }
                    previous = Math.max(previous, n);
                }
                if (inversions > 0) {
                    bad.add(key + ": " + inversions + " of " + values.size() + " out of order, first " + first);
                }
            }
        }
        return bad;
    }

    /** Acknowledged RPUSHes of the streaming writers whose number is not in its list. */
    long lostPushes() {
        long lost = 0;
        try (StatefulRedisConnection<String, String> c = client.connect(uri)) {
            for (Map.Entry<String, Set<Long>> e : pushed.entrySet()) {
                Set<Long> present = new HashSet<>();
                c.sync().lrange(e.getKey(), 0, -1).forEach(v -> present.add(Long.parseLong(v)));
                lost += e.getValue().stream().filter(v -> !present.contains(v)).count();
            }
        }
        return lost;
    }

    long pushes() {
        return pushed.values().stream().mapToLong(Set::size).sum();
    }

    private void loop(int writer, StatefulRedisConnection<String, String> c) {
        List<String> mine = new ArrayList<>();
        long n = 0;
        while (running) {
            String key = prefix + writer + ":" + n++;
            String value = key + ":" + ThreadLocalRandom.current().nextLong();
            long sent = System.nanoTime();
            try {
                if ("OK".equals(c.sync().set(key, value))) {
                    acknowledged.put(key, value);
                    mine.add(key);
                    writes.incrementAndGet();
                    check(key, c.sync().get(key));
                }
                slowest(sent);
                if (!mine.isEmpty()) {
                    String earlier = mine.get(ThreadLocalRandom.current().nextInt(mine.size()));
                    sent = System.nanoTime();
                    check(earlier, c.sync().get(earlier));
                    slowest(sent);
                }
            } catch (RuntimeException e) {
                long seen = System.nanoTime();
                longestWaitNanos.accumulateAndGet(seen - sent, Math::max);
                errors.add(String.format("%.3f s: %s", (seen - sent) / 1e9, e));
                firstErrorSentNanos.accumulateAndGet(sent, Math::min);
                lastErrorSeenNanos.accumulateAndGet(seen, Math::max);
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void slowest(long sentNanos) {
        long took = System.nanoTime() - sentNanos;
        slowestNanos.accumulateAndGet(took, Math::max);
        longestWaitNanos.accumulateAndGet(took, Math::max);
    }

    /** The longest a command of the plain writers waited for its answer, a reply or an error. */
    long longestWaitMillis() {
        return longestWaitNanos.get() / 1_000_000;
    }

    private void check(String key, String read) {
        reads.incrementAndGet();
        String expected = acknowledged.get(key);
        if (read == null) {
            missingReads.incrementAndGet();
            wrong.add("read " + key + " = (nil), wrote " + expected);
        } else if (!read.equals(expected)) {
            wrong.add("read " + key + " = " + read + ", wrote " + expected);
        }
    }

    long writes() {
        return writes.get();
    }

    long reads() {
        return reads.get();
    }

    /** Commands that failed (an error reply, a timeout, a broken connection). */
    List<String> errors() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }

    /** Reads that returned another value than the one acknowledged, or none. */
    List<String> wrongReads() {
        synchronized (wrong) {
            return List.copyOf(wrong);
        }
    }

    /** Reads that found no value for an acknowledged key. */
    long missingReads() {
        return missingReads.get();
    }

    /** Reads that found another value than the acknowledged one (not merely none). */
    long wrongValues() {
        return wrongReads().size() - missingReads.get();
    }

    /** From when the first failed command was sent to when the last one failed; 0 without errors. */
    long errorWindowMillis() {
        return errors.isEmpty() ? 0 : TimeUnit.NANOSECONDS.toMillis(lastErrorSeenNanos.get()
                - firstErrorSentNanos.get());
    }

    /** The longest a command that succeeded took. */
    long slowestMillis() {
        return TimeUnit.NANOSECONDS.toMillis(slowestNanos.get());
    }

    void stop() throws InterruptedException {
        running = false;
        for (Thread t : threads) {
            t.join(60_000);
        }
        threads.clear();
    }

    /** Every acknowledged key that is missing or holds another value now, read back through the proxy. */
    List<String> verify() {
        List<String> bad = new ArrayList<>();
        List<Map.Entry<String, String>> all = new ArrayList<>(acknowledged.entrySet());
        try (StatefulRedisConnection<String, String> c = client.connect(uri)) {
            for (int from = 0; from < all.size(); from += 1000) {
                List<Map.Entry<String, String>> chunk = all.subList(from, Math.min(all.size(), from + 1000));
                List<RedisFuture<String>> pending = new ArrayList<>();
                chunk.forEach(e -> pending.add(c.async().get(e.getKey())));
                for (int i = 0; i < chunk.size(); i++) {
                    try {
                        String value = pending.get(i).get(30, TimeUnit.SECONDS);
                        if (!chunk.get(i).getValue().equals(value)) {
                            bad.add(chunk.get(i).getKey() + " = " + value);
                        }
                    } catch (Exception e) {
                        bad.add(chunk.get(i).getKey() + ": " + e);
                    }
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
        connections.forEach(StatefulRedisConnection::close);
        connections.clear();
    }
}
