package io.biu.redisctl.task;

import io.biu.redisctl.client.TaskKind;
import io.biu.redisctl.client.TaskStep;
import io.biu.redisctl.store.Cluster;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The steps of one task kind as a test scripts them, in one process ({@code runner}): every run of a step is written to
 * a journal shared by the processes of a test ("A migrate"), then the step does what the test scripted for it, by
 * default report "did migrate" and end.
 */
final class ScriptedHandler<S extends Enum<S> & TaskStep> implements StepHandler<S> {

    private final TaskKind kind;
    private final Class<S> steps;
    private final String runner;
    private final List<String> journal;
    private final Map<S, StepCode> script;
    final List<String> failures = new CopyOnWriteArrayList<>();
    final List<Long> successes = new CopyOnWriteArrayList<>();

    ScriptedHandler(TaskKind kind, Class<S> steps, String runner, List<String> journal) {
        this.kind = kind;
        this.steps = steps;
        this.runner = runner;
        this.journal = journal;
        this.script = new EnumMap<>(steps);
    }

    static ScriptedHandler<TaskKind.Rebalance> rebalance(String runner, List<String> journal) {
        return new ScriptedHandler<>(TaskKind.REBALANCE, TaskKind.Rebalance.class, runner, journal);
    }

    static ScriptedHandler<TaskKind.Drain> drain(String runner, List<String> journal) {
        return new ScriptedHandler<>(TaskKind.DRAIN, TaskKind.Drain.class, runner, journal);
    }

    /** From now on, {@code step} does {@code code} (after it is journaled). */
    ScriptedHandler<S> on(S step, StepCode code) {
        script.put(step, code);
        return this;
    }

    @Override
    public TaskKind kind() {
        return kind;
    }

    @Override
    public Class<S> steps() {
        return steps;
    }

    @Override
    public StepCode code(S step, Cluster cluster, Task task) {
        return context -> {
            journal.add(runner + " " + step.id());
            script.getOrDefault(step, c -> c.progress("did " + step.id())).run(context);
        };
    }

    @Override
    public void succeeded(Cluster cluster) {
        successes.add(cluster.id());
    }

    @Override
    public void failed(Cluster cluster, String why) {
        failures.add(why);
    }
}
