package io.biu.scheduler.node;

import io.biu.scheduler.api.Caller;
import io.biu.scheduler.api.Requests;
import io.biu.scheduler.client.EventType;
import io.biu.scheduler.client.NodeState;
import io.biu.scheduler.client.Schema;
import io.biu.scheduler.engine.Engine;
import io.biu.scheduler.engine.Engines;
import io.biu.scheduler.error.SchedulerError;
import io.biu.scheduler.error.SchedulerException;
import io.biu.scheduler.event.EventLog;
import io.biu.scheduler.placement.Sizes;
import io.biu.scheduler.pod.NetworkMode;
import io.biu.scheduler.pod.Pod;
import io.biu.scheduler.pod.PodService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers Docker hosts into pods. Registration asks the engine what it has ({@code docker info}),
 * checks the pod's storage driver, applies the operator's caps, and creates the pod's MacVLAN network
 * there, so that a registered node can take containers at once.
 */
@Singleton
public class NodeService {

    private static final Logger LOG = LoggerFactory.getLogger(NodeService.class);

    private final NodeRepository nodes;
    private final PodService pods;
    private final Engines engines;
    private final EventLog events;
    private final Clock clock;

    NodeService(NodeRepository nodes, PodService pods, Engines engines, EventLog events, Clock clock) {
        this.events = events;
        this.nodes = nodes;
        this.pods = pods;
        this.engines = engines;
        this.clock = clock;
    }

    public Node register(Caller caller, Schema.NodeSpec request) {
        caller.requireOperator("registering a node");
        String name = Requests.name(request.name(), "node");
        Pod pod = pods.get(caller, Requests.required(request.pod(), "pod"));
        if (nodes.existsByName(name)) {
            throw new SchedulerException(SchedulerError.ALREADY_EXISTS, "node '" + name + "' already exists");
        }
        Engine engine = engines.at(Requests.required(request.endpoint(), "endpoint"), request.tlsDir());
        Engine.Info info = engine.info();
        if (!pod.storageDriver().equals(info.storageDriver())) {
            throw new SchedulerException(SchedulerError.INVALID_REQUEST, "node '" + name + "' runs storage driver "
                    + info.storageDriver() + "; pod '" + pod.name() + "' needs " + pod.storageDriver());
        }
        List<Integer> cores = cores(request.cores(), info.cores());
        long memory = request.memory() == null ? info.memory() : Sizes.parse(request.memory());
        if (memory <= 0 || memory > info.memory()) {
            throw new SchedulerException(SchedulerError.INVALID_MEMORY, "memory cap " + Sizes.format(memory)
                    + " must be positive and at most the node's " + Sizes.format(info.memory()));
        }
        if (pod.networkMode() == NetworkMode.MACVLAN) {
            engine.ensureNetwork(pod.networkName(), pod.subnet(), pod.gateway(), pod.parent(),
                    Map.of("biu.pod", pod.name()));
        }
        Node node = nodes.save(new Node(null, name, pod.name(), request.endpoint(), request.tlsDir(),
                cores.stream().map(String::valueOf).collect(Collectors.joining(",")), memory, info.cores(),
                info.memory(), info.storageDriver(), request.labels() == null ? Map.of() : request.labels(), false,
                NodeState.UP, clock.instant(), null));
        LOG.info("node {} registered in pod {}: {} cores, {} (engine {})", name, pod.name(), cores.size(),
                Sizes.format(memory), info.version());
        return node;
    }

    private static List<Integer> cores(@Nullable List<Integer> requested, int engineCores) {
        if (requested == null || requested.isEmpty()) {
            return java.util.stream.IntStream.range(0, engineCores).boxed().toList();
        }
        TreeSet<Integer> cores = new TreeSet<>(requested);
        if (cores.first() < 0 || cores.last() >= engineCores) {
            throw new SchedulerException(SchedulerError.INVALID_REQUEST, "cores " + requested
                    + " are not all on the node: it has cores 0 to " + (engineCores - 1));
        }
        return List.copyOf(cores);
    }

    /** A node by name; every caller may read nodes, operators change them. */
    public Node get(String name) {
        return nodes.findByName(name).orElseThrow(() -> SchedulerException.notFound("node", name));
    }

    public List<Node> list(Caller caller) {
        caller.requireOperator("listing nodes");
        return nodes.findAllOrderById();
    }

    /** Removes a node that holds no containers (drain it first); its engine and network are left as they are. */
    @Transactional
    public void remove(Caller caller, String name) {
        caller.requireOperator("removing a node");
        Node node = nodes.lock(get(name).id()).orElseThrow();
        long held = nodes.countContainers(node.id());
        if (held > 0) {
            throw new SchedulerException(SchedulerError.IN_USE, "node '" + name + "' still holds " + held
                    + " containers: remove them (or cordon the node and wait) first");
        }
        nodes.delete(node);
        LOG.info("node {} removed from pod {}", name, node.pod());
    }

    @Transactional
    public Node cordon(Caller caller, String name, boolean cordoned) {
        caller.requireOperator("cordoning a node");
        Node node = nodes.lock(get(name).id()).orElseThrow();
        Node updated = nodes.update(node.withCordoned(cordoned));
        events.append(EventType.NODE_CORDONED, null, null, null, name, null, NodeInfo.of(updated, updated.state()));
        LOG.info("node {} {}", name, cordoned ? "cordoned: no new placements" : "uncordoned");
        return updated;
    }
}
