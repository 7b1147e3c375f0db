package io.biu.redisctl.backup;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;

/**
 * Work on a backup's files, a few at a time whatever the executor: at most {@link #AT_ONCE} files are worked on at
 * once, each by one of as many workers taking the next file. Once one file fails, no other file is started, the work
 * under way is told to stop (it checks {@code stopped} between keys), and the call returns only once every worker
 * ended: nothing of it goes on after the step that ran it.
 */
final class SideBySide {

    /** Files worked on at once: enough to keep a few masters busy, few enough to bound connections and buffers. */
    static final int AT_ONCE = 4;

    private SideBySide() {
    }

    /** Thrown by work that stopped because another file failed; never the failure reported. */
    static final class Stopped extends RuntimeException {
        Stopped() {
            super("stopped: another file failed", null, false, false);
        }
    }

    /**
     * {@code work} applied to every item, results in the items' order; the first failure in that order is thrown
     * (unwrapped) once every worker ended.
     */
    static <T, R> List<R> each(List<T> items, Executor executor, BiFunction<T, BooleanSupplier, R> work) {
        List<R> results = new ArrayList<>(items.size());
        List<RuntimeException> failures = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            results.add(null);
            failures.add(null);
        }
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        BooleanSupplier stopped = failed::get;
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int w = 0; w < Math.min(AT_ONCE, items.size()); w++) {
            workers.add(CompletableFuture.runAsync(() -> {
                for (int i = next.getAndIncrement(); i < items.size() && !failed.get(); i = next.getAndIncrement()) {
                    try {
                        results.set(i, work.apply(items.get(i), stopped));
                    } catch (RuntimeException e) {
                        failures.set(i, e);
                        failed.set(true);
                    }
                }
            }, executor));
        }
        CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).join();
        // the join orders every worker's writes to both lists before these reads
        for (RuntimeException e : failures) {
            if (e != null && !(e instanceof Stopped)) {
                throw e instanceof CompletionException c && c.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        return results;
    }
}
