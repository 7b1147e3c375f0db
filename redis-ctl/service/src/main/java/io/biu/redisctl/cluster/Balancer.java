package io.biu.redisctl.cluster;

import io.biu.kit.info.RedisInfo;
import io.biu.redisctl.RedisCtlConfig;
import io.biu.redisctl.client.InstanceState;
import io.biu.redisctl.plan.OpenSlots;
import io.biu.redisctl.plan.SlotPlan;
import io.biu.redisctl.plan.Topology;
import io.biu.redisctl.redis.MigrationSettings;
import io.biu.redisctl.redis.RedisAdmin;
import io.biu.redisctl.redis.SlotMover;
import io.biu.redisctl.redis.SlotMover.Endpoint;
import io.biu.redisctl.redis.Throttle;
import io.biu.redisctl.store.Cluster;
import io.biu.redisctl.store.Instance;
import io.biu.redisctl.store.InstanceRepository;
import io.biu.redisctl.task.TaskContext;
import io.biu.redisctl.task.Waits;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slot moves over a whole cluster: finishing moves a crash left open, planning and running the moves that
 * even the masters out (or empty the ones being drained), and waiting until every instance agrees on who
 * owns what. Plans are computed from the cluster's live state every time, so a step run again after a
 * crash continues where the last run stopped.
 */
@Singleton
class Balancer {

    private static final Logger LOG = LoggerFactory.getLogger(Balancer.class);
    /** Keys per second assumed for the first estimate, before a rate is measured. */
    private static final long ASSUMED_RATE = 20_000;
    /** How often the run of the moves looks for one that ended. */
    private static final Duration POLL = Duration.ofMillis(5);

    private final InstanceRepository instances;
    private final RedisAdmin redis;
    private final SlotMover mover;
    private final MigrationSettings settings;
    private final RedisCtlConfig config;
    private final ExecutorService executor;

    Balancer(InstanceRepository instances, RedisAdmin redis, SlotMover mover, MigrationSettings settings,
            RedisCtlConfig config, @Named(TaskExecutors.BLOCKING) ExecutorService executor) {
        this.instances = instances;
        this.redis = redis;
        this.mover = mover;
        this.settings = settings;
        this.config = config;
        this.executor = executor;
    }

    /** The cluster as the first reachable member sees it. */
    Topology view(Cluster cluster) {
        RuntimeException last = null;
        for (Instance i : instances.findByClusterIdOrderByShardAndRoleAndId(cluster.id())) {
            if (i.state() != InstanceState.ACTIVE && i.state() != InstanceState.DRAINING) {
                continue;
            }
            try {
                return redis.on(i.address(), i.port(), cluster.password(), r -> RedisAdmin.topology(r, i.address()));
            } catch (RuntimeException e) {
                last = e;
            }
        }
        throw new IllegalStateException("no instance of cluster " + cluster.name() + " answers"
                + (last == null ? "" : ": " + last.getMessage()));
    }

    private static Map<String, Endpoint> masters(Topology view) {
        Map<String, Endpoint> masters = new LinkedHashMap<>();
        view.liveMasters().forEach(n -> masters.put(n.id(), new Endpoint(n.id(), n.host(), n.port())));
        return masters;
    }

    /** Finishes, or closes, every slot move left half done (a slot still migrating or importing somewhere). */
    void fixOpenSlots(Cluster cluster, TaskContext context) {
        Map<String, Endpoint> masters = masters(view(cluster));
        int fixed = 0;
        for (Endpoint m : masters.values()) {
            Topology own = Topology.parse(redis.on(m.host(), m.port(), cluster.password(), r -> r.clusterNodes()));
            for (OpenSlots.Fix fix : OpenSlots.of(own, masters.keySet())) {
                context.ensureHeld();
                if (fix instanceof OpenSlots.Fix.Finish f) {
                    finish(cluster, f.slot(), masters.get(f.source()), masters.get(f.target()), masters, context);
                } else if (fix instanceof OpenSlots.Fix.SetStable stable) {
                    LOG.info("cluster {}: slot {} is set stable on {}: {}", cluster.name(), stable.slot(), m.host(),
                            stable.reason().phrase());
                    redis.on(m.host(), m.port(), cluster.password(), r -> r.clusterSetSlotStable(stable.slot()));
                }
                fixed++;
            }
        }
        context.progress(fixed == 0 ? "no slot was left open" : "finished " + fixed + " open slot moves");
    }

    private void finish(Cluster cluster, int slot, Endpoint source, Endpoint target, Map<String, Endpoint> masters,
            TaskContext context) {
        LOG.info("cluster {}: finishing the move of slot {} from {} to {}", cluster.name(), slot, source.host(),
                target.host());
        try (SlotMover.Session session = mover.session(cluster.password())) {
            mover.move(slot, source, target, masters.values(), session, settings, new Throttle(0), context);
        }
    }

    /** Moves slots until the masters not being drained hold even shares and the drained ones none. */
    void migrate(Cluster cluster, Set<String> draining, TaskContext context) {
        // a run that resumes here after a crash may find a move it left open
        fixOpenSlots(cluster, context);
        // a master that just joined must know the cluster is whole before it takes slots
        awaitAgreement(cluster, context);
        Topology view = view(cluster);
        Map<String, Endpoint> masters = masters(view);
        Map<String, List<Integer>> slots = new LinkedHashMap<>();
        masters.keySet().forEach(id -> slots.put(id, view.node(id).slots()));
        List<SlotPlan.Move> moves = SlotPlan.plan(slots, draining);
        if (moves.isEmpty()) {
            context.progress("the slots are already where they should be");
            return;
        }
        long keys = countKeys(cluster, moves, masters);
        context.progress(String.format("moving %d slots with %d keys, about %d s", moves.size(), keys,
                Math.max(1, keys / ASSUMED_RATE)));
        run(cluster, moves, masters, keys, context);
    }

    private long countKeys(Cluster cluster, List<SlotPlan.Move> moves, Map<String, Endpoint> masters) {
        Map<String, List<Integer>> bySource = new LinkedHashMap<>();
        moves.forEach(m -> bySource.computeIfAbsent(m.source(), s -> new ArrayList<>()).add(m.slot()));
        long total = 0;
        for (Map.Entry<String, List<Integer>> e : bySource.entrySet()) {
            Endpoint source = masters.get(e.getKey());
            total += redis.on(source.host(), source.port(), cluster.password(), r -> {
                long sum = 0;
                for (int slot : e.getValue()) {
                    sum += r.clusterCountKeysInSlot(slot);
                }
                return sum;
            });
        }
        return total;
    }

    /**
     * Runs the moves, several at once: a master sends one move at a time (MIGRATE holds it while it
     * serialises keys) but may receive several, reporting progress and an estimate of the time left about
     * every second. However the run ends (a move failed, the claim was lost), it returns only once no move of its
     * own is under way: moves check the run's claim before each round of commands, so they end soon after it is lost.
     */
    private void run(Cluster cluster, List<SlotPlan.Move> moves, Map<String, Endpoint> masters, long keys,
            TaskContext context) {
        try (SlotMover.Session session = mover.session(cluster.password())) {
            run(cluster, moves, masters, keys, context, session);
        }
    }

    private void run(Cluster cluster, List<SlotPlan.Move> moves, Map<String, Endpoint> masters, long keys,
            TaskContext context, SlotMover.Session session) {
        Throttle throttle = new Throttle(settings.keysPerSecond());
        Deque<SlotPlan.Batch> pending = new ArrayDeque<>(SlotPlan.batches(moves, settings.slots()));
        Set<String> busy = new HashSet<>();
        Map<Future<?>, SlotPlan.Batch> running = new LinkedHashMap<>();
        AtomicLong movedKeys = new AtomicLong();
        long started = System.nanoTime();
        long lastReport = started;
        int done = 0;
        try {
            while (!pending.isEmpty() || !running.isEmpty()) {
                for (var it = pending.iterator(); it.hasNext() && running.size() < settings.parallel(); ) {
                    SlotPlan.Batch move = it.next();
                    if (busy.contains(move.source())) {
                        continue;
                    }
                    context.ensureHeld();
                    it.remove();
                    busy.add(move.source());
                    Future<?> f = executor.submit(() -> {
                        SlotMover.Moved moved = mover.move(move.slots(), masters.get(move.source()),
                                masters.get(move.target()), masters.values(), session, settings, throttle, context);
                        movedKeys.addAndGet(moved.keys());
                        moved.bigKeys().forEach(k -> context.progress("big key " + k + " moved alone"));
                    });
                    running.put(f, move);
                }
                Future<?> finished = null;
                for (Future<?> f : running.keySet()) {
                    if (f.isDone()) {
                        finished = f;
                        break;
                    }
                }
                if (finished == null) {
                    context.sleep(POLL);
                } else {
                    SlotPlan.Batch move = running.remove(finished);
                    busy.remove(move.source());
                    try {
                        finished.get();
                    } catch (Exception e) {
                        Throwable cause = e.getCause() == null ? e : e.getCause();
                        throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
                    }
                    done += move.slots().size();
                }
                long now = System.nanoTime();
                if (now - lastReport > 1_000_000_000L || (pending.isEmpty() && running.isEmpty())) {
                    lastReport = now;
                    double seconds = Math.max(0.001, (now - started) / 1e9);
                    long rate = (long) (movedKeys.get() / seconds);
                    long left = Math.max(0, keys - movedKeys.get());
                    context.progress(String.format("moved %d of %d slots, %d of about %d keys (%d keys/s), about %d "
                            + "s left", done, moves.size(), movedKeys.get(), keys, rate,
                            rate == 0 ? left / ASSUMED_RATE : left / rate));
                }
            }
        } finally {
            // however the run ends (a move failed, the claim was lost), no move of its own goes on after it
            running.keySet().forEach(this::await);
        }
    }

    private void await(Future<?> f) {
        try {
            f.get();
        } catch (Exception ignored) {
            // the first failure is the one reported
        }
    }

    /**
     * Waits until every member knows every other and says cluster_state:ok: a master that just joined takes
     * slots only then, or it would answer CLUSTERDOWN for them. Slots left open by an interrupted move do not
     * matter here (the migration finishes them), so a run resumed from this step after a crash in a later one
     * does not wait for what only a later step does.
     */
    void awaitMembers(Cluster cluster, TaskContext context) {
        List<Instance> members = instances.findByClusterIdOrderByShardAndRoleAndId(cluster.id()).stream()
                .filter(i -> i.state() == InstanceState.ACTIVE || i.state() == InstanceState.DRAINING).toList();
        Waits.until(context, config.convergeTimeout(), "every member to know the others and be ok", () -> {
            int ready = 0;
            for (Instance i : members) {
                boolean ok = redis.on(i.address(), i.port(), cluster.password(), r -> {
                    Topology t = Topology.parse(r.clusterNodes());
                    return "ok".equals(RedisInfo.fields(r.clusterInfo()).get("cluster_state"))
                            && members.stream().allMatch(o -> o.redisId() == null || t.knows(o.redisId()));
                });
                ready += ok ? 1 : 0;
            }
            context.progress(ready + " of " + members.size() + " members know the others and are ok");
            return ready == members.size() ? Boolean.TRUE : null;
        });
    }

    /** Waits until every member agrees on every slot's owner, none is open and each says cluster_state:ok. */
    void awaitAgreement(Cluster cluster, TaskContext context) {
        List<Instance> members = instances.findByClusterIdOrderByShardAndRoleAndId(cluster.id()).stream()
                .filter(i -> i.state() == InstanceState.ACTIVE || i.state() == InstanceState.DRAINING).toList();
        Waits.until(context, config.convergeTimeout(), "every instance to agree on the slots", () -> {
            Map<Integer, String> first = null;
            int agreeing = 0;
            for (Instance i : members) {
                boolean agrees = redis.on(i.address(), i.port(), cluster.password(), r -> {
                    Topology t = Topology.parse(r.clusterNodes());
                    return "ok".equals(RedisInfo.fields(r.clusterInfo()).get("cluster_state")) && t.settled();
                });
                Map<Integer, String> owners = Topology.parse(redis.on(i.address(), i.port(), cluster.password(),
                        r -> r.clusterNodes())).owners();
                if (first == null) {
                    first = owners;
                }
                agreeing += agrees && owners.equals(first) ? 1 : 0;
            }
            context.progress(agreeing + " of " + members.size() + " instances agree on the slots");
            return agreeing == members.size() ? Boolean.TRUE : null;
        });
    }
}
