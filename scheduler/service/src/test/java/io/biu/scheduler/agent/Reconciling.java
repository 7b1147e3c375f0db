package io.biu.scheduler.agent;

import io.biu.scheduler.SchedulerFixture;
import io.biu.scheduler.node.Node;

/** One reconciliation of a node, for tests outside this package. */
public final class Reconciling {

    private Reconciling() {
    }

    public static void once(SchedulerFixture scheduler, Node node) {
        scheduler.bean(Reconciler.class).reconcile(node, scheduler.engine(node));
    }
}
