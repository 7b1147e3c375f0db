package io.biu.redisctl.task;

import java.util.List;

/** What a task does, as its named steps in order. Step names are also the crash points of tests. */
public enum TaskKind {
    /** Deploy the instances and make them one cluster. */
    FORM(List.of("deploy", "await-ready", "meet", "assign-slots", "replicate", "await-ok")),
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
