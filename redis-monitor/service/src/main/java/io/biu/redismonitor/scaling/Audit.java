package io.biu.redismonitor.scaling;

import io.biu.redisctl.client.ClusterView;
import io.biu.redismonitor.MonitorConfig;
import io.biu.redismonitor.client.ActionKind;
import io.biu.redismonitor.client.DecisionKind;
import io.biu.redismonitor.client.Inputs;
import io.biu.redismonitor.policy.Context;
import io.biu.redismonitor.policy.Decision;
import io.biu.redismonitor.policy.Numbers;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.ObjectMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail: every scaling decision, every block and every close-call hold, with its figures, in the database
 * and as an annotation ({@link Annotations}). A hold or block like the cluster's previous record is recorded again only
 * after {@code audit-repeat}.
 */
@Singleton
public class Audit {

    private static final Logger LOG = LoggerFactory.getLogger(Audit.class);

    private final DecisionRepository decisions;
    private final ObjectMapper json;
    private final MonitorConfig config;
    private final Annotations annotations;

    Audit(DecisionRepository decisions, ObjectMapper json, MonitorConfig config, Annotations annotations) {
        this.decisions = decisions;
        this.json = json;
        this.config = config;
        this.annotations = annotations;
    }

    /** What a decision was made on, as recorded: {@code capacityAsked} says whether the pod's room was asked. */
    static Inputs inputs(Numbers n, Context c, boolean capacityAsked) {
        return new Inputs(n.meanRatio(), n.maxRatio(), n.usedBytes(), n.maxBytes(), n.opsPerSecond(), n.cpu(),
                n.growthBytesPerSecond(), n.secondsToThreshold(), n.heldForSeconds(), n.masters(), n.mastersWanted(),
                c.taskRunning(), capacityAsked ? c.capacity().masters() : null,
                capacityAsked ? c.capacity().reason() : null,
                c.lastAction() == null ? null : switch (c.lastAction().kind()) {
                    case SCALE_OUT -> ActionKind.SCALE_OUT;
                    case SCALE_IN -> ActionKind.SCALE_IN;
                },
                c.lastAction() == null ? null : c.lastAction().at());
    }

    /** Whether {@code d} goes into the trail: actions and blocks always, holds when they are close calls. */
    boolean worthRecording(long clusterId, Decision d, Instant now) {
        if (d instanceof Decision.ScaleOut || d instanceof Decision.ScaleIn) {
            return true;
        }
        if (d instanceof Decision.Hold hold && !hold.closeCall()) {
            return false;
        }
        Optional<DecisionRow> last = decisions.findFirstByClusterIdOrderByIdDesc(clusterId);
        return last.isEmpty() || !last.get().kind().equals(kind(d).name())
                || !last.get().reason().equals(d.reason().name())
                || !Objects.equals(last.get().trigger(), trigger(d))
                || !last.get().at().plus(config.auditRepeat()).isAfter(now);
    }

    DecisionRow record(ClusterView cluster, Decision d, Inputs inputs, Instant at, @Nullable Long actionId) {
        String text;
        try {
            text = json.writeValueAsString(inputs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DecisionRow row = decisions.save(new DecisionRow(null, cluster.id(), cluster.tenant(), cluster.name(), at,
                kind(d).name(), masters(d), d.reason().name(), trigger(d),
                d instanceof Decision.Blocked b ? b.why() : null, text, actionId));
        annotations.annotate(row, inputs);
        LOG.info("cluster {}/{}: {} ({}{}){}", cluster.tenant(), cluster.name(), row.kind().toLowerCase(),
                row.reason().toLowerCase(), row.trigger() == null ? "" : ", held back: " + row.trigger().toLowerCase(),
                row.why() == null ? "" : ": " + row.why());
        return row;
    }

    static DecisionKind kind(Decision d) {
        if (d instanceof Decision.ScaleOut) {
            return DecisionKind.SCALE_OUT;
        }
        if (d instanceof Decision.ScaleIn) {
            return DecisionKind.SCALE_IN;
        }
        return d instanceof Decision.Blocked ? DecisionKind.BLOCKED : DecisionKind.HOLD;
    }

    private static int masters(Decision d) {
        if (d instanceof Decision.ScaleOut out) {
            return out.add();
        }
        return d instanceof Decision.ScaleIn ? 1 : 0;
    }

    @Nullable
    private static String trigger(Decision d) {
        if (d instanceof Decision.Hold hold) {
            return hold.trigger() == null ? null : hold.trigger().name();
        }
        return d instanceof Decision.Blocked blocked ? blocked.trigger().name() : null;
    }
}
