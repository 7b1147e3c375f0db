package io.biu.redisctl.backup;

import io.biu.redisctl.client.BackupFile;
import io.biu.redisctl.plan.SlotPlan;
import io.biu.redisctl.plan.Topology;
import io.biu.redisctl.task.TaskContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Takes every master's RDB into a store at once, each as {@code <folder>/<master id>.rdb}, with the slots the
 * master served when its snapshot was asked for. Masters go on serving throughout: each forks, as for a replica.
 */
public final class Snapshots {

    private final RdbFetch fetch;
    private final BackupStore store;
    private final Executor executor;

    public Snapshots(RdbFetch fetch, BackupStore store, Executor executor) {
        this.fetch = fetch;
        this.store = store;
        this.executor = executor;
    }

    /**
     * The files of {@code masters}' snapshots under {@code folder}, in the masters' order; each is taken only while the
     * task's run holds its claim ({@link TaskContext#ensureHeld}).
     */
    public List<BackupFile> take(String folder, List<Topology.Node> masters, String password, TaskContext context) {
        AtomicInteger done = new AtomicInteger();
        List<CompletableFuture<BackupFile>> files = new ArrayList<>();
        for (Topology.Node master : masters) {
            files.add(CompletableFuture.supplyAsync(() -> {
                context.ensureHeld();
                BackupFile file = take(folder, master, password);
                context.progress(done.incrementAndGet() + " of " + masters.size() + " masters' snapshots taken");
                return file;
            }, executor));
        }
        try {
            return files.stream().map(CompletableFuture::join).toList();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private BackupFile take(String folder, Topology.Node master, String password) {
        String name = folder + "/" + master.id() + ".rdb";
        String address = master.host() + ":" + master.port();
        List<String> slots = ranges(master.slots());
        RdbFetch.Copied[] copied = new RdbFetch.Copied[1];
        try {
            store.put(name, out -> copied[0] = fetch.copy(master.host(), master.port(), password, out));
            return new BackupFile(name.substring(name.lastIndexOf('/') + 1), master.id(), address, slots,
                    copied[0].bytes(), copied[0].sha256(), null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot take the snapshot of master " + address + ": " + e.getMessage(), e);
        }
    }

    /** Slots as {@code "0-5460"} ranges. */
    static List<String> ranges(List<Integer> slots) {
        return SlotPlan.runs(slots).stream().map(r -> r[0] == r[1] ? String.valueOf(r[0]) : r[0] + "-" + r[1])
                .toList();
    }
}
