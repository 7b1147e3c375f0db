package io.biu.scheduler.placement;

import io.biu.scheduler.cpu.CpuPlan;
import java.util.Objects;

/** One container of a plan: its node, its CPU plan, its memory and its anti-affinity group (or null). */
public record Assignment(String node, CpuPlan cpu, long memory, String group) {

    public Assignment {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(cpu, "cpu");
    }
}
