package io.biu.scheduler.volume;

import io.biu.scheduler.client.NodeState;
import io.biu.scheduler.client.Schema;
import io.biu.scheduler.engine.Engine;
import io.biu.scheduler.engine.Engines;
import io.biu.scheduler.error.SchedulerException;
import io.biu.scheduler.node.Node;
import io.biu.scheduler.node.NodeRepository;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removing keyed volumes, in two steps as container removals are. First their records are marked, in the transaction
 * that decided the removal (after checking that no container of the key is left); then each is removed from its
 * engine and its record dropped. A volume whose node is down or whose engine does not confirm keeps its marked record,
 * and the reconciler removes it once the node answers ({@link #removePending}). A record is dropped only once its
 * engine confirmed the volume gone (or the node is no longer registered: nothing can reach it).
 */
@Singleton
public class VolumeRemovals {

    private static final Logger LOG = LoggerFactory.getLogger(VolumeRemovals.class);

    private final VolumeRepository volumes;
    private final NodeRepository nodes;
    private final Engines engines;
    private final Clock clock;

    VolumeRemovals(VolumeRepository volumes, NodeRepository nodes, Engines engines, Clock clock) {
        this.volumes = volumes;
        this.nodes = nodes;
        this.engines = engines;
        this.clock = clock;
    }

    /** What removing volumes came to: the nodes (by name) still holding some, to be removed once they answer. */
    public record Outcome(List<String> pendingNodes) {

        public Outcome {
            pendingNodes = List.copyOf(pendingNodes);
        }

        public boolean removed() {
            return pendingNodes.isEmpty();
        }

        /** As the API says it, for the volumes of an app's key ({@code key} null: of the whole app). */
        public Schema.VolumeRemoval view(String app, @Nullable String key) {
            String what = key == null ? "the volumes of app '" + app + "'" : "the volumes of key '" + key + "'";
            return new Schema.VolumeRemoval(app, key, removed(), pendingNodes, removed() ? what + " are removed"
                    : what + " on " + String.join(", ", pendingNodes) + " are removed once those nodes answer again "
                            + "(the others are removed)");
        }
    }

    /**
     * Marks the volumes of an app's key ({@code key} null: all of the app's) for removal, in the caller's
     * transaction, and returns every one marked, those marked before included: a repeated removal tries them again.
     */
    @Transactional
    public List<Volume> mark(long appId, @Nullable String key) {
        if (key == null) {
            volumes.markAppForRemoval(appId, clock.instant());
            return volumes.findByAppIdOrderById(appId);
        }
        volumes.markKeyForRemoval(appId, key, clock.instant());
        return volumes.findByAppIdAndKeyOrderById(appId, key);
    }

    /** Removes marked volumes from their engines now where their nodes answer; call it outside any transaction. */
    public Outcome remove(List<Volume> marked) {
        TreeSet<String> pending = new TreeSet<>();
        for (Volume v : marked) {
            Optional<Node> node = nodes.findById(v.nodeId());
            if (node.isEmpty()) {
                LOG.warn("volume {} was on node {}, which is no longer registered: record dropped", v.engineName(),
                        v.node());
                volumes.deleteRemoved(v.id());
            } else if (node.get().state() != NodeState.UP) {
                LOG.info("volume {} is on {}, which is {}: removed once the node answers again", v.engineName(),
                        v.node(), node.get().state().name().toLowerCase());
                pending.add(v.node());
            } else if (!removeFrom(node.get(), engines.at(node.get().endpoint(), node.get().tlsDir()), v)) {
                pending.add(v.node());
            }
        }
        return new Outcome(new ArrayList<>(pending));
    }

    /** Removes the volumes whose removal waits for this node, which answers; one that fails is tried next time. */
    public void removePending(Node node, Engine engine) {
        for (Volume v : volumes.findByNodeIdAndRemovalRequestedAtIsNotNullOrderById(node.id())) {
            removeFrom(node, engine, v);
        }
    }

    private boolean removeFrom(Node node, Engine engine, Volume v) {
        try {
            engine.removeVolume(v.engineName());
        } catch (SchedulerException e) {
            LOG.warn("volume {} (key {} of app {}) could not be removed from {}, tried again later: {}", v.engineName(),
                    v.key(), v.appId(), node.name(), e.getMessage());
            return false;
        }
        volumes.deleteRemoved(v.id());
        LOG.info("volume {} (key {} of app {}) removed from {}", v.engineName(), v.key(), v.appId(), node.name());
        return true;
    }
}
