package io.biu.proxy.server;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * What the proxy counts: clients, commands, errors, failed AUTHs, redirections, retries, connections to the cluster
 * closed for want of a reply, and command latency.
 */
final class Stats {

    private final long startedMillis = System.currentTimeMillis();
    final AtomicInteger clients = new AtomicInteger();
    private final LongAdder connections = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder slowReaders = new LongAdder();
    private final LongAdder commands = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder moved = new LongAdder();
    private final LongAdder asks = new LongAdder();
    private final LongAdder retries = new LongAdder();
    private final LongAdder unanswered = new LongAdder();
    private final LongAdder authFailures = new LongAdder();
    /** Latencies in microseconds, up to a minute, 2 significant digits. */
    private final Recorder latency = new Recorder(TimeUnit.MINUTES.toMicros(1), 2);
    private final Histogram window = new Histogram(TimeUnit.MINUTES.toMicros(1), 2);
    private long lastCommands;
    private long lastSampleNanos = System.nanoTime();
    private double opsPerSecond;

    void connected() {
        connections.increment();
    }

    void rejected() {
        rejected.increment();
    }

    /** A client was disconnected because it did not read its replies. */
    void slowReader() {
        slowReaders.increment();
    }

    /** A command answered, {@code tookNanos} after it was read. */
    void command(long tookNanos) {
        commands.increment();
        latency.recordValue(Math.min(TimeUnit.MINUTES.toMicros(1), Math.max(0, tookNanos) / 1000));
    }

    void error() {
        errors.increment();
    }

    void moved() {
        moved.increment();
    }

    void ask() {
        asks.increment();
    }

    void retry() {
        retries.increment();
    }

    /** An AUTH (or HELLO AUTH) with a wrong password. */
    void authFailed() {
        authFailures.increment();
    }

    /** A connection to the cluster was closed because its master did not answer in time. */
    void unanswered() {
        unanswered.increment();
    }

    /** The INFO section of the proxy, as {@code field:value} lines. */
    synchronized String info() {
        long now = System.nanoTime();
        long total = commands.sum();
        if (now - lastSampleNanos > 500_000_000L) {
            opsPerSecond = (total - lastCommands) * 1e9 / (now - lastSampleNanos);
            lastCommands = total;
            lastSampleNanos = now;
            // the latency percentiles cover the commands since the previous sample
            window.reset();
            latency.getIntervalHistogramInto(window);
        }
        return "uptime_in_seconds:" + (System.currentTimeMillis() - startedMillis) / 1000 + "\r\n"
                + "connected_clients:" + clients.get() + "\r\n"
                + "total_connections_received:" + connections.sum() + "\r\n"
                + "rejected_connections:" + rejected.sum() + "\r\n"
                + "auth_failures:" + authFailures.sum() + "\r\n"
                + "client_buffer_disconnections:" + slowReaders.sum() + "\r\n"
                + "used_buffer_memory:" + BufferMemory.used() + "\r\n"
                + "max_buffer_memory:" + BufferMemory.max() + "\r\n"
                + "total_commands_processed:" + total + "\r\n"
                + "instantaneous_ops_per_sec:" + Math.round(opsPerSecond) + "\r\n"
                + "total_error_replies:" + errors.sum() + "\r\n"
                + "moved_redirections:" + moved.sum() + "\r\n"
                + "ask_redirections:" + asks.sum() + "\r\n"
                + "retries:" + retries.sum() + "\r\n"
                + "unanswered_backend_closes:" + unanswered.sum() + "\r\n"
                + "latency_p50_us:" + window.getValueAtPercentile(50) + "\r\n"
                + "latency_p99_us:" + window.getValueAtPercentile(99) + "\r\n"
                + "latency_p999_us:" + window.getValueAtPercentile(99.9) + "\r\n"
                + "latency_max_us:" + window.getMaxValue() + "\r\n";
    }
}
