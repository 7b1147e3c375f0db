package io.biu.scheduler.quarantine;

import io.biu.scheduler.QuarantineConfig;
import io.biu.scheduler.api.Caller;
import io.biu.scheduler.engine.Engine;
import io.biu.scheduler.engine.Engines;
import io.biu.scheduler.error.SchedulerError;
import io.biu.scheduler.error.SchedulerException;
import io.biu.scheduler.node.Node;
import io.biu.scheduler.node.NodeRepository;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Engine containers that carry Biu's labels but have no row. Such a container is not proof of garbage: a scheduler
 * whose database was restored from a backup has no row for anything created since, and removing those would delete
 * tenants' data. So the reconciler hands them here: each is recorded and stopped (its data stays), and removed with
 * its data only once it has been quarantined for {@link QuarantineConfig#grace()}, or when an operator deletes it.
 */
@Singleton
public class Quarantine {

    private static final Logger LOG = LoggerFactory.getLogger(Quarantine.class);

    private final QuarantineRepository quarantined;
    private final NodeRepository nodes;
    private final Engines engines;
    private final QuarantineConfig config;
    private final Clock clock;

    Quarantine(QuarantineRepository quarantined, NodeRepository nodes, Engines engines, QuarantineConfig config,
            Clock clock) {
        this.quarantined = quarantined;
        this.nodes = nodes;
        this.engines = engines;
        this.config = config;
        this.clock = clock;
    }

    /**
     * One pass over a node's containers that have no row: each is recorded (on first sight) and kept stopped; one
     * quarantined for longer than the grace is removed. Records of containers that are no longer unknown (gone from
     * the engine, or given a row again) are dropped. A failure with one container leaves the others to go on.
     */
    public void sweep(Node node, Engine engine, Collection<Engine.Container> unknown) {
        Map<String, Quarantined> held = new HashMap<>();
        quarantined.findByNodeId(node.id()).forEach(q -> held.put(q.engineId(), q));
        Instant now = clock.instant();
        for (Engine.Container c : unknown) {
            Quarantined q = held.remove(c.id());
            try {
                if (q == null) {
                    if (engine.inspect(c.id()).isEmpty()) {
                        continue; // removed since it was listed: a removal that finished meanwhile
                    }
                    // Biu's own labels say what it was; an app's labels may be long, and are the app's business
                    Map<String, String> biu = new TreeMap<>();
                    c.labels().forEach((k, v) -> {
                        if (k.startsWith("biu.")) {
                            biu.put(k, v);
                        }
                    });
                    q = quarantined.save(new Quarantined(null, node.id(), node.name(), c.id(), c.name(), biu, now));
                    LOG.warn("engine container {} ({}) on {} has no row (labels {}): quarantined, to be removed after "
                            + "{} unless an operator deletes it sooner", c.name(), c.id(), node.name(), biu,
                            config.grace());
                }
                if (!q.firstSeen().plus(config.grace()).isAfter(now)) {
                    engine.remove(c.id());
                    quarantined.delete(q);
                    LOG.warn("quarantined container {} ({}) on {} removed with its data: quarantined since {}",
                            c.name(), c.id(), node.name(), q.firstSeen());
                } else if (c.running()) {
                    engine.stop(c.id(), config.stopGrace());
                    LOG.warn("quarantined container {} ({}) on {} stopped; its data is kept", c.name(), c.id(),
                            node.name());
                }
            } catch (RuntimeException e) {
                LOG.warn("quarantined container {} ({}) on {}: {}", c.name(), c.id(), node.name(), e.toString());
            }
        }
        for (Quarantined q : held.values()) {
            quarantined.delete(q);
            LOG.info("container {} ({}) on {} is no longer quarantined: it left the engine or has a row again",
                    q.name(), q.engineId(), node.name());
        }
    }

    /** Every quarantined container, oldest first. */
    public List<Quarantined> list(Caller caller) {
        caller.requireOperator("listing quarantined containers");
        return quarantined.findAllOrderById();
    }

    /** When the reconciler removes a quarantined container unless an operator does so first. */
    public Instant removalDue(Quarantined q) {
        return q.firstSeen().plus(config.grace());
    }

    /**
     * Removes a quarantined container, with its data, now. Fails, keeping the record, while its engine cannot confirm
     * the removal; the record of a container on a node no longer registered is dropped, as nothing can reach it.
     */
    public void delete(Caller caller, long id) {
        caller.requireOperator("deleting a quarantined container");
        Quarantined q = quarantined.findById(id).orElseThrow(() -> new SchedulerException(SchedulerError.NOT_FOUND,
                "no quarantined container " + id + ": list them with GET /api/v1/quarantine"));
        Optional<Node> node = nodes.findById(q.nodeId());
        if (node.isPresent()) {
            engines.at(node.get().endpoint(), node.get().tlsDir()).remove(q.engineId());
            LOG.warn("quarantined container {} ({}) on {} removed with its data by {}", q.name(), q.engineId(),
                    q.node(), caller.tokenName());
        } else {
            LOG.warn("quarantined container {} ({}) was on node {}, which is no longer registered: record dropped by {}",
                    q.name(), q.engineId(), q.node(), caller.tokenName());
        }
        quarantined.delete(q);
    }
}
