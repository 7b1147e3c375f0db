package io.biu.scheduler.engine;

import io.biu.scheduler.error.SchedulerError;
import io.biu.scheduler.error.SchedulerException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One node's engine in memory, with the behaviour of the Docker engine the scheduler relies on: containers are
 * created (named uniquely, on an existing network), filled with files, started, stopped (a stopped one stays, exited)
 * and removed with their own data volume (a key's volume they mounted stays); removing or stopping one that is gone is
 * fine; a volume is removed only while no container mounts it, and removing one that is gone is fine; {@code list}
 * shows exited ones too; {@code die} and {@code oom} events reach whoever watches.
 *
 * <p>Switches make it misbehave the ways real hosts do: {@link #refuse} makes operations answer with a refusal
 * ({@code ENGINE_FAILED}), {@link #refuseFor} only for one container; {@link #hang} makes them hang as a stuck dockerd
 * does, until {@link #release} or until the call's timeout, after which they fail as unanswered
 * ({@code ENGINE_UNREACHABLE}), except a hung ping, which waits for {@link #release} alone; {@link #unreachable} makes the
 * whole host unreachable (every call fails at once, pings fail, event streams end). Test-side hooks act behind the
 * scheduler's back: a container {@link #exit}s or {@link #vanish}es.
 *
 * <p>Thread-safe: the containers and networks are guarded by one monitor; switches are checked before it is taken,
 * so a hung call never blocks the others.
 */
public final class FakeEngine implements Engine {

    /** The engine's operations, as the switches name them. */
    public enum Op {
        INFO, PING, EXEC, USAGE, WATCH, ENSURE_NETWORK, CREATE, COPY_FILES, START, STOP, REMOVE, REMOVE_VOLUME, INSPECT,
        LIST
    }

    /** What a container is doing. */
    public enum Status { CREATED, RUNNING, EXITED }

    /** A container as this engine holds it, at one moment. */
    public record Held(String id, String name, Spec spec, Status status, int exitCode, boolean oomKilled,
            Map<String, File> files) {
    }

    /** A MacVLAN network as this engine holds it. */
    public record Net(String name, String subnet, String gateway, String parent, Map<String, String> labels) {
    }

    private final String endpoint;
    private final Duration timeout;
    private final AtomicLong ids = new AtomicLong();
    private volatile Info info;
    private volatile int execExitCode;

    /** Guarded by {@code this}. */
    private final Map<String, Box> containers = new LinkedHashMap<>();
    private final Map<String, Net> networks = new LinkedHashMap<>();
    /** Volumes by name, with their labels. */
    private final Map<String, Map<String, String>> volumes = new TreeMap<>();

    private final List<Watch> watches = new CopyOnWriteArrayList<>();
    private final Map<Op, AtomicInteger> calls = new EnumMap<>(Op.class);
    private final Set<Op> refused = Collections.synchronizedSet(EnumSet.noneOf(Op.class));
    /** Container names whose calls of an operation are refused. */
    private final Map<Op, Set<String>> refusedFor = new ConcurrentHashMap<>();
    private final Set<Op> hung = Collections.synchronizedSet(EnumSet.noneOf(Op.class));
    private final AtomicInteger hanging = new AtomicInteger();
    private volatile CountDownLatch released = new CountDownLatch(1);
    private volatile boolean unreachable;

    /**
     * @param timeout how long a call waits on a hung engine before it fails as unanswered (the client's timeout)
     */
    public FakeEngine(String endpoint, Info info, Duration timeout) {
        this.endpoint = endpoint;
        this.info = info;
        this.timeout = timeout;
        for (Op op : Op.values()) {
            calls.put(op, new AtomicInteger());
        }
    }

    private static final class Box {
        final String id;
        final Spec spec;
        final Map<String, File> files = new LinkedHashMap<>();
        Status status = Status.CREATED;
        int exitCode;
        boolean oomKilled;
        long pid;

        Box(String id, Spec spec) {
            this.id = id;
            this.spec = spec;
        }

        Held held() {
            return new Held(id, spec.name(), spec, status, exitCode, oomKilled, Map.copyOf(files));
        }

        Container container() {
            return new Container(id, spec.name(), status == Status.RUNNING, exitCode, oomKilled, pid, spec.labels());
        }
    }

    private record Watch(Consumer<ContainerEvent> listener, Runnable onClosed) {
    }

    // ---- switches ----

    /** What {@code docker info} reports from now on. */
    public void info(Info value) {
        info = value;
    }

    /** The exit code of every command run in a container (readiness probes): 0 passes. */
    public void execExitCode(int code) {
        execExitCode = code;
    }

    /** These operations are refused from now on ({@code ENGINE_FAILED}), until {@link #heal}. */
    public void refuse(Op... ops) {
        refused.addAll(List.of(ops));
    }

    /** These operations are refused from now on for the container named {@code name} only, until {@link #heal}. */
    public void refuseFor(String name, Op... ops) {
        for (Op op : ops) {
            refusedFor.computeIfAbsent(op, o -> ConcurrentHashMap.newKeySet()).add(name);
        }
    }

    /**
     * These operations hang from now on: each call waits for {@link #release} (then goes through) or for the engine's
     * timeout (then fails, {@code ENGINE_UNREACHABLE}); a hung ping waits for {@link #release} and nothing else, as a
     * ping to a stopped dockerd does, stuck in the TLS handshake where no client timeout reaches it.
     */
    public synchronized void hang(Op... ops) {
        if (released.getCount() == 0) {
            released = new CountDownLatch(1);
        }
        hung.addAll(List.of(ops));
    }

    /** Hung operations answer again; calls waiting on them go through. */
    public synchronized void release() {
        hung.clear();
        released.countDown();
    }

    /** How many calls are hanging right now. */
    public int hanging() {
        return hanging.get();
    }

    /**
     * The host drops off the network (every call fails at once, {@code ENGINE_UNREACHABLE}; pings fail; event streams
     * end) or comes back. Its containers carry on either way, as they would on a partitioned host.
     */
    public void unreachable(boolean value) {
        unreachable = value;
        if (value) {
            for (Watch w : watches) {
                watches.remove(w);
                w.onClosed().run();
            }
        }
    }

    /** Every switch back to normal: nothing refused, nothing hung, reachable. */
    public void heal() {
        refused.clear();
        refusedFor.clear();
        release();
        unreachable(false);
    }

    /** How many times an operation was called, whatever came of it. */
    public int calls(Op op) {
        return calls.get(op).get();
    }

    // ---- behind the scheduler's back ----

    /** A running container exits on its own (or is killed for memory): watchers hear {@code oom}, then {@code die}. */
    public void exit(String idOrName, int exitCode, boolean oomKilled) {
        Box box;
        synchronized (this) {
            box = find(idOrName).orElseThrow(() -> new IllegalArgumentException("no container " + idOrName));
            if (box.status != Status.RUNNING) {
                throw new IllegalStateException("container " + idOrName + " is not running");
            }
            box.status = Status.EXITED;
            box.exitCode = exitCode;
            box.oomKilled = oomKilled;
            box.pid = 0;
        }
        if (oomKilled) {
            announce(new ContainerEvent("oom", box.id, box.spec.labels(), null));
        }
        announce(new ContainerEvent("die", box.id, dieAttributes(box.spec.labels(), exitCode), exitCode));
    }

    /** The engine restarts an exited container in place (its restart policy): watchers hear {@code start}. */
    public void restart(String idOrName) {
        Box box;
        synchronized (this) {
            box = find(idOrName).orElseThrow(() -> new IllegalArgumentException("no container " + idOrName));
            if (box.status != Status.EXITED) {
                throw new IllegalStateException("container " + idOrName + " has not exited");
            }
            box.status = Status.RUNNING;
            box.pid = 1000 + ids.incrementAndGet();
        }
        announce(new ContainerEvent("start", box.id, box.spec.labels(), null));
    }

    /** A container disappears without a trace (a host wiped, a {@code docker rm} by hand while no one watched). */
    public synchronized void vanish(String idOrName) {
        find(idOrName).ifPresent(box -> {
            containers.remove(box.id);
            volumes.remove(DataVolume.ownName(box.spec.name()));
        });
    }

    // ---- what tests read ----

    public synchronized List<Held> containers() {
        return containers.values().stream().map(Box::held).toList();
    }

    public synchronized Optional<Held> container(String idOrName) {
        return find(idOrName).map(Box::held);
    }

    public synchronized Map<String, Net> networks() {
        return Map.copyOf(networks);
    }

    /** The names of the volumes the engine holds. */
    public synchronized Set<String> volumes() {
        return Set.copyOf(volumes.keySet());
    }

    /** A volume's labels, or empty when the engine has no such volume. */
    public synchronized Optional<Map<String, String>> volume(String name) {
        return Optional.ofNullable(volumes.get(name)).map(Map::copyOf);
    }

    // ---- the engine ----

    @Override
    public Info info() {
        enter(Op.INFO, "report its info");
        return info;
    }

    @Override
    public boolean ping() {
        calls.get(Op.PING).incrementAndGet();
        if (unreachable || refused.contains(Op.PING)) {
            return false;
        }
        return !hung.contains(Op.PING) || awaitRelease(null);
    }

    @Override
    public int exec(String id, List<String> command, Duration timeout) {
        enter(Op.EXEC, "exec in " + id);
        synchronized (this) {
            running(id, "exec in");
        }
        return execExitCode;
    }

    @Override
    public Usage usage(String id) {
        enter(Op.USAGE, "read stats of " + id);
        synchronized (this) {
            Box box = running(id, "read stats of");
            return new Usage(1.0, box.spec.memory() / 2, box.spec.memory(), 1000, 1000, 0, 0);
        }
    }

    @Override
    public AutoCloseable watch(Consumer<ContainerEvent> listener, Runnable onClosed) {
        enter(Op.WATCH, "follow events");
        Watch watch = new Watch(listener, onClosed);
        watches.add(watch);
        return () -> watches.remove(watch);
    }

    @Override
    public void ensureNetwork(String name, String subnet, String gateway, String parent, Map<String, String> labels) {
        enter(Op.ENSURE_NETWORK, "create network " + name);
        synchronized (this) {
            Net existing = networks.get(name);
            if (existing == null) {
                networks.put(name, new Net(name, subnet, gateway, parent, Map.copyOf(labels)));
            } else if (!existing.subnet().equals(subnet) || !existing.parent().equals(parent)) {
                throw new SchedulerException(SchedulerError.IN_USE, "the engine at " + endpoint + " already has a "
                        + "network '" + name + "' with other settings: remove it or use another pod");
            }
        }
    }

    @Override
    public String create(Spec spec) {
        enter(Op.CREATE, "create container " + spec.name());
        synchronized (this) {
            if (find(spec.name()).isPresent()) {
                throw refusal("create container " + spec.name(), "the name is in use");
            }
            if (spec.network() != null && !networks.containsKey(spec.network())) {
                throw refusal("create container " + spec.name(), "network " + spec.network() + " not found");
            }
            String id = String.format(Locale.ROOT, "%016x%048x", endpoint.hashCode() & 0xffffffffL,
                    ids.incrementAndGet());
            containers.put(id, new Box(id, spec));
            if (spec.volume() != null) {
                volumes.putIfAbsent(spec.volume().name(), Map.copyOf(spec.volume().labels()));
            }
            return id;
        }
    }

    @Override
    public void copyFiles(String id, List<File> files, Hardening hardening) {
        enter(Op.COPY_FILES, "copy files into " + id);
        synchronized (this) {
            Box box = existing(id, "copy files into");
            for (File f : files) {
                // as Docker does: a read-only root takes files only in a volume
                String dir = f.path().substring(0, f.path().lastIndexOf('/'));
                DataVolume volume = box.spec.volume();
                boolean inVolume = box.spec.hardening().writableDirs().contains(dir)
                        || volume != null && (dir + "/").startsWith(volume.path() + "/");
                if (box.spec.hardening().readOnlyRoot() && !inVolume) {
                    throw new SchedulerException(SchedulerError.ENGINE_FAILED, "container rootfs is marked read-only");
                }
            }
            files.forEach(f -> box.files.put(f.path(), f));
        }
    }

    @Override
    public void start(String id) {
        enter(Op.START, "start " + id);
        synchronized (this) {
            Box box = existing(id, "start");
            if (box.status == Status.RUNNING) {
                return;
            }
            String address = box.spec.address();
            if (address != null) {
                for (Box other : containers.values()) {
                    if (other != box && other.status == Status.RUNNING && address.equals(other.spec.address())
                            && box.spec.network().equals(other.spec.network())) {
                        throw refusal("start " + id, "address " + address + " is in use by " + other.spec.name());
                    }
                }
            }
            box.status = Status.RUNNING;
            box.exitCode = 0;
            box.oomKilled = false;
            box.pid = 1000 + ids.incrementAndGet();
        }
    }

    @Override
    public void stop(String id, Duration grace) {
        enter(Op.STOP, "stop " + id);
        refuseIfSwitchedFor(Op.STOP, id, "stop " + id);
        Box box;
        synchronized (this) {
            box = find(id).orElse(null);
            if (box == null || box.status != Status.RUNNING) {
                return;
            }
            box.status = Status.EXITED;
            box.exitCode = 0; // it heeded SIGTERM within its grace period
            box.pid = 0;
        }
        announce(new ContainerEvent("die", box.id, dieAttributes(box.spec.labels(), 0), 0));
    }

    @Override
    public void remove(String id) {
        enter(Op.REMOVE, "remove " + id);
        refuseIfSwitchedFor(Op.REMOVE, id, "remove " + id);
        Box box;
        synchronized (this) {
            box = find(id).orElse(null);
            if (box == null) {
                return;
            }
            containers.remove(box.id);
            volumes.remove(DataVolume.ownName(box.spec.name()));
        }
        if (box.status == Status.RUNNING) {
            announce(new ContainerEvent("die", box.id, dieAttributes(box.spec.labels(), 137), 137));
        }
    }

    @Override
    public void removeVolume(String name) {
        enter(Op.REMOVE_VOLUME, "remove volume " + name);
        synchronized (this) {
            for (Box box : containers.values()) {
                if (box.spec.volume() != null && box.spec.volume().name().equals(name)) {
                    throw refusal("remove volume " + name, "volume is in use by container " + box.spec.name());
                }
            }
            volumes.remove(name);
        }
    }

    @Override
    public Optional<Container> inspect(String idOrName) {
        enter(Op.INSPECT, "inspect " + idOrName);
        refuseIfSwitchedFor(Op.INSPECT, idOrName, "inspect " + idOrName);
        synchronized (this) {
            return find(idOrName).map(Box::container);
        }
    }

    @Override
    public List<Container> list(Map<String, String> labels) {
        enter(Op.LIST, "list containers");
        synchronized (this) {
            List<Container> result = new ArrayList<>();
            for (Box box : containers.values()) {
                if (box.spec.labels().entrySet().containsAll(labels.entrySet())) {
                    result.add(box.container());
                }
            }
            return result;
        }
    }

    @Override
    public void close() {
        watches.clear();
    }

    // ---- helpers ----

    /** Counts the call, then answers as the switches say: at once with a failure, after a hang, or not at all. */
    private void enter(Op op, String what) {
        calls.get(op).incrementAndGet();
        if (unreachable) {
            throw unanswered(what, "connection refused");
        }
        if (refused.contains(op)) {
            throw refusal(what, "refused (" + op.name().toLowerCase(Locale.ROOT) + " is switched to refuse)");
        }
        if (hung.contains(op) && !awaitRelease(timeout)) {
            throw unanswered(what, "no answer within " + timeout.toMillis() + " ms");
        }
        if (unreachable) {
            throw unanswered(what, "connection reset");
        }
    }

    /** Refuses a call on a container whose name was switched to refuse it ({@link #refuseFor}). */
    private void refuseIfSwitchedFor(Op op, String idOrName, String what) {
        Set<String> names = refusedFor.getOrDefault(op, Set.of());
        if (names.isEmpty()) {
            return;
        }
        String name;
        synchronized (this) {
            name = find(idOrName).map(b -> b.spec.name()).orElse(idOrName);
        }
        if (names.contains(name)) {
            throw refusal(what, "refused (" + op.name().toLowerCase(Locale.ROOT) + " of " + name
                    + " is switched to refuse)");
        }
    }

    /** Waits for {@link #release}; false when {@code limit} (null: none) passed first. */
    private boolean awaitRelease(Duration limit) {
        CountDownLatch latch = released;
        hanging.incrementAndGet();
        try {
            if (limit == null) {
                latch.await();
                return true;
            }
            return latch.await(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            hanging.decrementAndGet();
        }
    }

    private SchedulerException refusal(String what, String why) {
        return new SchedulerException(SchedulerError.ENGINE_FAILED,
                "the engine at " + endpoint + " refused to " + what + ": " + why);
    }

    private SchedulerException unanswered(String what, String why) {
        return new SchedulerException(SchedulerError.ENGINE_UNREACHABLE,
                "the engine at " + endpoint + " did not answer (" + what + "): " + why);
    }

    /** By id, by an id's first 12 or more characters, or by name; guarded by {@code this}. */
    private Optional<Box> find(String idOrName) {
        Box box = containers.get(idOrName);
        if (box != null) {
            return Optional.of(box);
        }
        for (Box b : containers.values()) {
            if (b.spec.name().equals(idOrName) || (idOrName.length() >= 12 && b.id.startsWith(idOrName))) {
                return Optional.of(b);
            }
        }
        return Optional.empty();
    }

    private Box existing(String id, String what) {
        return find(id).orElseThrow(() -> refusal(what + " " + id, "no such container"));
    }

    private Box running(String id, String what) {
        Box box = existing(id, what);
        if (box.status != Status.RUNNING) {
            throw refusal(what + " " + id, "the container is not running");
        }
        return box;
    }

    private static Map<String, String> dieAttributes(Map<String, String> labels, int exitCode) {
        Map<String, String> attributes = new HashMap<>(labels);
        attributes.put("exitCode", String.valueOf(exitCode));
        return attributes;
    }

    /** Delivers an event to every watcher, outside the monitor (listeners call back into the engine). */
    private void announce(ContainerEvent event) {
        if (event.labels().containsKey("biu.container")) {
            watches.forEach(w -> w.listener().accept(event));
        }
    }
}
