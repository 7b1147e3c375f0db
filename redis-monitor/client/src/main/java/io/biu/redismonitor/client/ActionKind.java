package io.biu.redismonitor.client;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.biu.scheduler.client.api.Wire;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * What a scaling action does, as its named steps in order. The steps are declared here once: an action's view names
 * the last step it completed by them, the service runs code for each (its scaler switches over these enums, so a step
 * without code does not compile), and recovery scenarios halt a monitor after each ({@code biu.crash-after}).
 */
@Serdeable
public enum ActionKind {
    SCALE_OUT(ScaleOut.values()),
    SCALE_IN(ScaleIn.values());

    /**
     * Add masters: the new masters and their replicas are deployed (each shard in an anti-affinity group of its own,
     * all or none), become ready, and redis-ctl joins them.
     */
    public enum ScaleOut implements ActionStep {
        /** Recorded with its decision and the app's containers at that moment; nothing deployed yet. */
        RECORDED,
        /** Its containers are deployed. */
        DEPLOYED,
        /** Every one of them passed its readiness probe. */
        READY,
        /** redis-ctl's join task started. */
        JOINED,
        /** The join task finished: the new masters serve their share of the slots. */
        DONE
    }

    /** Remove a master: redis-ctl drains it, then removes every instance the drain made removable. */
    public enum ScaleIn implements ActionStep {
        /** Recorded with its decision and the master to drain. */
        RECORDED,
        /** redis-ctl's drain task started. */
        DRAINING,
        /** The drain task finished: the master holds no slot and the others forgot it. */
        DRAINED,
        /** The removable instances are removed. */
        REMOVED
    }

    private final List<ActionStep> steps;

    ActionKind(ActionStep[] steps) {
        this.steps = List.of(steps);
    }

    /** The steps, in the order they run. */
    public List<ActionStep> steps() {
        return steps;
    }

    /** The steps' names ({@link ActionStep#id()}), in order. */
    public List<String> stepIds() {
        return steps.stream().map(ActionStep::id).toList();
    }

    /** The step every action of this kind starts at. */
    public ActionStep first() {
        return steps.get(0);
    }

    /** The step that completes an action of this kind. */
    public ActionStep last() {
        return steps.get(steps.size() - 1);
    }

    /** The step of this kind named {@code id}; an error that lists the valid ones otherwise. */
    public ActionStep step(String id) {
        for (ActionStep step : steps) {
            if (step.id().equals(id)) {
                return step;
            }
        }
        throw new IllegalArgumentException("a " + id() + " has no step '" + id + "': its steps are " + stepIds());
    }

    /** As the API writes it: {@code scale-out}. */
    @JsonValue
    public String id() {
        return Wire.id(this);
    }

    @JsonCreator
    public static ActionKind of(String id) {
        return Wire.of(ActionKind.class, id);
    }
}
