package io.biu.redisctl.client;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.biu.scheduler.client.api.Wire;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * What a task does, as its named steps in order. The steps are declared here once: a task's view names its current
 * step and its finished ones by them, the service runs code for each (its handlers switch over these enums, so a
 * step without code does not compile), and recovery scenarios halt a process after each ({@code biu.crash-after}).
 */
@Serdeable
public enum TaskKind {
    FORM(Form.values()),
    JOIN(Join.values()),
    REBALANCE(Rebalance.values()),
    DRAIN(Drain.values()),
    HEAL(Heal.values()),
    DELETE(Delete.values()),
    BACKUP(Backup.values()),
    RESTORE(Restore.values()),
    IMPORT(Import.values());

    /** Deploy the instances and make them one cluster. */
    public enum Form implements TaskStep { DEPLOY, AWAIT_READY, MEET, ASSIGN_SLOTS, REPLICATE, AWAIT_OK }

    /** Make joining instances members: masters get an even share of slots, replicas a master. */
    public enum Join implements TaskStep {
        MEET, REPLICATE, ACTIVATE, FIX_OPEN_SLOTS, AWAIT_MEMBERS, MIGRATE, AWAIT_AGREEMENT
    }

    /** Even out the slots over the masters. */
    public enum Rebalance implements TaskStep { FIX_OPEN_SLOTS, MIGRATE, AWAIT_AGREEMENT }

    /**
     * Empty a master (its slots to the others, its replicas to other masters as far as they need them, the rest
     * retired), have the others forget it and the retired replicas, mark those removable.
     */
    public enum Drain implements TaskStep { FIX_OPEN_SLOTS, MIGRATE, REHOME_REPLICAS, FORGET, MARK_REMOVABLE }

    /**
     * Replace a failed instance: after Redis's own failover, forget it, deploy a replacement in its shard and make
     * it a replica of the shard's master (or, for a shard that lost every member, its master again); then spread
     * the masters over the nodes again.
     */
    public enum Heal implements TaskStep {
        AWAIT_FAILOVER, FORGET, REPLACE, MEET, RESTORE, ACTIVATE, AWAIT_OK, SPREAD_MASTERS
    }

    /** Remove the instances and the app. */
    public enum Delete implements TaskStep { REMOVE_CONTAINERS, REMOVE_APP }

    /**
     * Take every master's RDB as a replica would (the masters keep serving) into the backup store, with the slots
     * each served; read every file back in full (checksum, every key parsed); record the backup as complete.
     */
    public enum Backup implements TaskStep { SNAPSHOT, VERIFY, RECORD }

    /**
     * Check every file of a backup (present, checksum, every key parsed) before anything is written; check the
     * target holds no key; then load every key into the master that owns its slot.
     */
    public enum Restore implements TaskStep { VERIFY, CHECK_EMPTY, LOAD }

    /**
     * Check the source (an RDB file reads to its end; a live Redis answers), check the target holds no key, then load
     * every key into the master that owns its slot (a live source's writes too, until caught up).
     */
    public enum Import implements TaskStep { CHECK_SOURCE, CHECK_EMPTY, LOAD }

    private final List<TaskStep> steps;

    TaskKind(TaskStep[] steps) {
        this.steps = List.of(steps);
    }

    /** The steps, in the order they run. */
    public List<TaskStep> steps() {
        return steps;
    }

    /** The steps' names ({@link TaskStep#id()}), in order. */
    public List<String> stepIds() {
        return steps.stream().map(TaskStep::id).toList();
    }

    @JsonValue
    public String id() {
        return Wire.id(this);
    }

    @JsonCreator
    public static TaskKind of(String id) {
        return Wire.of(TaskKind.class, id);
    }
}
