package io.biu.scheduler.container;

import io.biu.scheduler.SchedulerConfig;
import io.biu.scheduler.app.App;
import io.biu.scheduler.client.NodeState;
import io.biu.scheduler.error.SchedulerError;
import io.biu.scheduler.error.SchedulerException;
import io.biu.scheduler.ipam.AddressPool;
import io.biu.scheduler.ipam.Ipv4;
import io.biu.scheduler.node.Node;
import io.biu.scheduler.node.NodeRepository;
import io.biu.scheduler.placement.Assignment;
import io.biu.scheduler.placement.NodeSnapshot;
import io.biu.scheduler.placement.Placement;
import io.biu.scheduler.placement.PlacementRequest;
import io.biu.scheduler.placement.Planner;
import io.biu.scheduler.pod.NetworkMode;
import io.biu.scheduler.pod.Pod;
import io.biu.scheduler.pod.PodRepository;
import io.biu.scheduler.quota.QuotaService;
import io.biu.scheduler.volume.Volume;
import io.biu.scheduler.volume.VolumeNames;
import io.biu.scheduler.volume.VolumeRepository;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Plan and reserve in one transaction. The pod's row is locked first (so every reservation in the pod
 * sees every earlier one, and addresses are handed out once), then the rows of the nodes the plan uses,
 * in id order; the plan is computed from what the nodes hold at that moment and written as container
 * rows in state {@code RESERVED} before any engine is touched. Two scheduler processes on one database
 * therefore never over-commit a core, a byte or an address. The tenant's quota is checked after the pod's lock,
 * under a lock of its own ({@link QuotaService#admit}).
 */
@Singleton
public class Reservations {

    private final PodRepository pods;
    private final NodeRepository nodes;
    private final ContainerRepository containers;
    private final VolumeRepository volumes;
    private final QuotaService quotas;
    private final SchedulerConfig config;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    Reservations(PodRepository pods, NodeRepository nodes, ContainerRepository containers, VolumeRepository volumes,
            QuotaService quotas, SchedulerConfig config, Clock clock) {
        this.quotas = quotas;
        this.pods = pods;
        this.nodes = nodes;
        this.containers = containers;
        this.volumes = volumes;
        this.config = config;
        this.clock = clock;
    }

    /**
     * Reserves {@code request.count()} containers of the app; {@code keys} is empty, or one volume key per container.
     * A key's container goes to the node holding the key's newest volume when that node can take it (see
     * {@link Planner}), and mounts that volume; placed elsewhere, it gets a new volume of the key there, recorded
     * here. A key still mounted by a container on a node that answers is refused: two containers never share one.
     * With {@code pin}, the name of a node of the pod, every container goes to that node or none is placed.
     */
    @Transactional
    public List<Container> reserve(App app, PlacementRequest request, @Nullable String role, List<String> keys,
            @Nullable String pin) {
        Pod pod = pods.findByNameForUpdate(app.pod()).orElseThrow(() -> SchedulerException.notFound("pod", app.pod()));
        List<Node> podNodes = nodes.findByPodOrderById(pod.name());
        List<Container> held = containers.findByPod(pod.name());
        List<Volume> live = keys.isEmpty() ? List.of() : volumes.findByAppIdOrderById(app.id()).stream()
                .filter(v -> !v.removalPending()).toList();
        if (!keys.isEmpty()) {
            refuseMountedKeys(app, keys, held, podNodes);
            request = request.withHomes(homes(keys, live, podNodes));
        }
        List<NodeSnapshot> snapshots = Snapshots.of(pod, podNodes, held, app.id(), app.tenant());
        if (pin != null) {
            snapshots = snapshots.stream().filter(n -> n.name().equals(pin)).toList();
            if (snapshots.isEmpty()) {
                throw new SchedulerException(SchedulerError.INVALID_REQUEST, "node '" + pin + "' is not a node of pod '"
                        + pod.name() + "', where app '" + app.name() + "' runs: pin one of the pod's nodes, or none");
            }
        }
        Placement placement = Planner.plan(snapshots, request);
        if (placement instanceof Placement.Refused refused) {
            throw new SchedulerException(SchedulerError.CAPACITY_EXHAUSTED, pin == null ? refused.message()
                    : "pinned to node '" + pin + "': " + refused.message());
        }
        List<Assignment> assignments = ((Placement.Planned) placement).assignments();
        // what was planned, not what was asked: each-node and fill ask per node
        quotas.admit(app.tenant(), assignments.size(), request.cpu().cores(), request.memory());
        Map<String, Node> byName = podNodes.stream().collect(Collectors.toMap(Node::name, n -> n));
        lockAndRecheck(assignments.stream().map(a -> byName.get(a.node()).id()).collect(Collectors.toSet()));

        List<String> addresses = addresses(pod, held, assignments.size());
        Map<Long, Set<Integer>> portsInUse = new HashMap<>();
        List<Container> reserved = new ArrayList<>(assignments.size());
        for (int i = 0; i < assignments.size(); i++) {
            Assignment a = assignments.get(i);
            Node node = byName.get(a.node());
            String ports = pod.networkMode() == NetworkMode.HOST && app.ports() > 0
                    ? hostPorts(node.id(), held, portsInUse, app.ports()) : "";
            String key = keys.isEmpty() ? null : keys.get(i);
            String volume = key == null ? null : volumeOn(app, key, node, live);
            reserved.add(containers.save(Container.reserved(app.id(), node.id(), pod.name(), app.tenant(),
                    name(app), role, a.group(), addresses.get(i), ports, a.cpu(), a.memory(), clock.instant(), key,
                    volume)));
        }
        return reserved;
    }

    private static void refuseMountedKeys(App app, List<String> keys, List<Container> held, List<Node> podNodes) {
        Map<Long, Node> byId = podNodes.stream().collect(Collectors.toMap(Node::id, n -> n));
        for (Container c : held) {
            Node node = byId.get(c.nodeId());
            // one on a node that does not answer is not mounting anything a new container could reach
            if (c.appId() == app.id() && c.volumeKey() != null && keys.contains(c.volumeKey()) && node != null
                    && node.state() == NodeState.UP) {
                throw new SchedulerException(SchedulerError.IN_USE, "volume key '" + c.volumeKey() + "' of app '"
                        + app.name() + "' is mounted by container " + c.name() + " (" + c.state().name()
                        .toLowerCase(Locale.ROOT) + ") on node " + node.name() + ": a key has one container at a "
                        + "time, remove that one first");
            }
        }
    }

    /** Per key, the node of its newest live volume in the pod, or null. */
    private static List<String> homes(List<String> keys, List<Volume> live, List<Node> podNodes) {
        Map<Long, Node> byId = podNodes.stream().collect(Collectors.toMap(Node::id, n -> n));
        Map<String, String> newest = new HashMap<>();
        for (Volume v : live) { // in id order: a later one replaces an earlier one
            if (byId.containsKey(v.nodeId())) {
                newest.put(v.key(), byId.get(v.nodeId()).name());
            }
        }
        return keys.stream().map(newest::get).toList();
    }

    /** The key's live volume on the node, or a new one recorded there: the engine's name for it. */
    private String volumeOn(App app, String key, Node node, List<Volume> live) {
        for (Volume v : live) {
            if (v.key().equals(key) && v.nodeId() == node.id()) {
                return v.engineName();
            }
        }
        return volumes.save(new Volume(null, app.id(), app.tenant(), key, node.id(), node.name(),
                VolumeNames.engineName(app.id(), key), clock.instant(), null)).engineName();
    }

    private void lockAndRecheck(Set<Long> nodeIds) {
        for (Node node : nodes.lockAll(new TreeSet<>(nodeIds))) {
            if (node.cordoned() || node.state() != NodeState.UP) {
                throw new SchedulerException(SchedulerError.IN_USE, "node '" + node.name() + "' was cordoned or went "
                        + "down while this deployment was planned: send it again");
            }
        }
    }

    private List<String> addresses(Pod pod, List<Container> held, int count) {
        List<String> result = new ArrayList<>(count);
        if (pod.networkMode() != NetworkMode.MACVLAN) {
            for (int i = 0; i < count; i++) {
                result.add(null);
            }
            return result;
        }
        Set<Long> used = held.stream().map(Container::address).filter(a -> a != null).map(Ipv4::parse)
                .collect(Collectors.toSet());
        AddressPool.Allocation allocation = pod.addressPool().allocate(used, pod.ipamCursor(), count);
        pods.update(pod.withIpamCursor(allocation.cursor()));
        allocation.addresses().forEach(a -> result.add(Ipv4.format(a)));
        return result;
    }

    /** The lowest free host ports of the node's range, as "p1,p2". */
    private String hostPorts(long nodeId, List<Container> held, Map<Long, Set<Integer>> inUse, int count) {
        Set<Integer> used = inUse.computeIfAbsent(nodeId, id -> held.stream().filter(c -> c.nodeId() == id)
                .flatMap(c -> c.ports().stream()).collect(Collectors.toCollection(HashSet::new)));
        List<Integer> picked = new ArrayList<>(count);
        for (int port = config.hostPortFirst(); port <= config.hostPortLast() && picked.size() < count; port++) {
            if (used.add(port)) {
                picked.add(port);
            }
        }
        if (picked.size() < count) {
            throw new SchedulerException(SchedulerError.CAPACITY_EXHAUSTED, "no " + count + " free host ports between "
                    + config.hostPortFirst() + " and " + config.hostPortLast() + " on the node");
        }
        return picked.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** The engine's name for a new container: tenant, app and a random suffix. */
    private String name(App app) {
        byte[] suffix = new byte[4];
        random.nextBytes(suffix);
        return app.tenant() + "." + app.name() + "." + HexFormat.of().formatHex(suffix);
    }
}
