package io.biu.scheduler.agent;

import io.biu.scheduler.client.ContainerState;
import io.biu.scheduler.client.EventType;
import io.biu.scheduler.client.NodeState;
import io.biu.scheduler.container.Container;
import io.biu.scheduler.container.ContainerRepository;
import io.biu.scheduler.container.ContainerStates;
import io.biu.scheduler.event.EventLog;
import io.biu.scheduler.node.Node;
import io.biu.scheduler.node.NodeInfo;
import io.biu.scheduler.node.NodeRepository;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import io.biu.kit.lease.DatabaseClock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's lease and state, and what follows from them, each change with its events in one transaction. Leases are
 * granted and judged on the {@link DatabaseClock}, so scheduler processes whose own clocks disagree still agree on
 * which nodes have lapsed.
 */
@Singleton
public class NodeTransitions {

    private static final Logger LOG = LoggerFactory.getLogger(NodeTransitions.class);
    /** States of containers that exist, or should, on their node: these become LOST with it. */
    private static final Set<ContainerState> LOSABLE =
            EnumSet.of(ContainerState.CREATED, ContainerState.RUNNING, ContainerState.DIED);

    private final NodeRepository nodes;
    private final ContainerRepository containers;
    private final ContainerStates states;
    private final EventLog events;
    private final DatabaseClock clock;

    NodeTransitions(NodeRepository nodes, ContainerRepository containers, ContainerStates states, EventLog events,
            DatabaseClock clock) {
        this.nodes = nodes;
        this.containers = containers;
        this.states = states;
        this.events = events;
        this.clock = clock;
    }

    /** The engine answered: extend the lease by {@code lease} from now, and bring the node up if it was down. */
    @Transactional
    public boolean renew(Node node, Duration lease) {
        Node locked = nodes.lock(node.id()).orElseThrow();
        nodes.renewLease(node.id(), clock.now().plus(lease));
        if (locked.state() == NodeState.DOWN) {
            nodes.updateState(node.id(), NodeState.UP);
            events.append(EventType.NODE_UP, null, null, null, node.name(), null, NodeInfo.of(locked, NodeState.UP));
            LOG.info("node {} is up again", node.name());
            return true;
        }
        return false;
    }

    /**
     * The lease lapsed: the node is down and every container on it is LOST. They keep their resources and
     * addresses (fencing) until their fate is known.
     */
    @Transactional
    public boolean downIfLapsed(Node node) {
        Node locked = nodes.lock(node.id()).orElseThrow();
        Instant now = clock.now();
        if (locked.state() != NodeState.UP || (locked.leaseExpires() != null && locked.leaseExpires().isAfter(now))) {
            return false;
        }
        nodes.updateState(node.id(), NodeState.DOWN);
        events.append(EventType.NODE_DOWN, null, null, null, node.name(), null, NodeInfo.of(locked, NodeState.DOWN));
        int lost = 0;
        for (Container c : containers.findByNodeId(node.id())) {
            if (LOSABLE.contains(c.state())) {
                states.move(c, ContainerState.LOST, EventType.CONTAINER_LOST);
                lost++;
            }
        }
        LOG.warn("node {} missed its heartbeats: down, {} containers lost", node.name(), lost);
        return true;
    }
}
