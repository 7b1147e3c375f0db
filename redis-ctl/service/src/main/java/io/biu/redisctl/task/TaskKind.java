package io.biu.redisctl.task;

import java.util.List;

/** What a task does, as its named steps in order. Step names are also the crash points of tests. */
public enum TaskKind {
    /** Deploy the instances and make them one cluster. */
    FORM(List.of("deploy", "await-ready", "meet", "assign-slots", "replicate", "await-ok")),
    /** Make joining instances members: masters get an even share of slots, replicas a master. */
    JOIN(List.of("meet", "replicate", "activate", "fix-open-slots", "await-members", "migrate", "await-agreement")),
    /** Even out the slots over the masters. */
    REBALANCE(List.of("fix-open-slots", "migrate", "await-agreement")),
    /**
     * Empty a master (its slots to the others, its replicas to other masters as far as they need them, the rest
     * retired), have the others forget it and the retired replicas, mark those removable.
     */
    DRAIN(List.of("fix-open-slots", "migrate", "rehome-replicas", "forget", "mark-removable")),
    /**
     * Replace a failed instance: after Redis's own failover, forget it, deploy a replacement in its shard and
     * make it a replica of the shard's master (or, for a shard that lost every member, its master again); then
     * spread the masters over the nodes again.
     */
    HEAL(List.of("await-failover", "forget", "replace", "meet", "restore", "activate", "await-ok", "spread-masters")),
    /** Remove the instances and the app. */
    DELETE(List.of("remove-containers", "remove-app"));

    private final List<String> steps;

    TaskKind(List<String> steps) {
        this.steps = steps;
    }

    public List<String> steps() {
        return steps;
    }
}
