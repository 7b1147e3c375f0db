package io.biu.cli;

import io.biu.cli.api.CliException;
import io.biu.cli.api.Reply;
import io.biu.redisctl.client.ClusterView;
import io.biu.redisctl.client.TaskView;
import java.util.List;

/** Finding a cluster by the name (or id) a user types, and the facts commands show about it. */
final class Clusters {

    private Clusters() {
    }

    /** The cluster (redis-ctl's live view) called {@code nameOrId}; fails with what to do when there is none. */
    static Reply<ClusterView> find(Session session, String nameOrId) {
        List<ClusterView> all = session.redisCtl().getList("/clusters", ClusterView.class);
        for (ClusterView c : all) {
            if (c.name().equals(nameOrId) || String.valueOf(c.id()).equals(nameOrId)) {
                return session.redisCtl().fetch("/clusters/" + c.id(), ClusterView.class);
            }
        }
        String whose = session.tenant() == null ? "" : " of tenant " + session.tenant();
        throw CliException.failed("no cluster '" + nameOrId + "'" + whose,
                "`biu cluster list` shows the clusters there are" + (all.isEmpty() ? " (none yet: `biu cluster "
                        + "create NAME` makes one)" : ""));
    }

    /** How many masters it has now: counted from its instances, or as requested while it has none. */
    static int masterCount(ClusterView cluster) {
        int counted = cluster.servingMasters().size();
        return counted > 0 ? counted : cluster.masters();
    }

    /** {@code join 3/7 migrate}, or null when no task runs. */
    static String taskSummary(ClusterView cluster) {
        TaskView task = cluster.task();
        if (task == null) {
            return null;
        }
        if (!task.open()) {
            return task.kind().id() + " " + task.state().id();
        }
        return task.kind().id() + " " + Math.min(task.stepsDone() + 1, task.steps()) + "/" + task.steps() + " "
                + task.step();
    }
}
