package io.biu.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.biu.cli.api.CliException;
import java.util.ArrayList;
import java.util.List;

/** Finding a cluster by the name (or id) a user types, and reading the facts commands need from its JSON. */
final class Clusters {

    private Clusters() {
    }

    /** The cluster (redis-ctl's view) called {@code nameOrId}; fails with what to do when there is none. */
    static JsonNode find(Session session, String nameOrId) {
        JsonNode all = session.redisCtl().get("/clusters");
        for (JsonNode c : all) {
            if (c.path("name").asText().equals(nameOrId) || String.valueOf(c.path("id").asLong()).equals(nameOrId)) {
                return session.redisCtl().get("/clusters/" + c.path("id").asLong());
            }
        }
        String whose = session.tenant() == null ? "" : " of tenant " + session.tenant();
        throw CliException.failed("no cluster '" + nameOrId + "'" + whose,
                "`biu cluster list` shows the clusters there are" + (all.isEmpty() ? " (none yet: `biu cluster "
                        + "create NAME` makes one)" : ""));
    }

    /** The instances that are masters and serve (or are about to serve) slots. */
    static List<JsonNode> masters(JsonNode cluster) {
        List<JsonNode> masters = new ArrayList<>();
        for (JsonNode i : cluster.path("instances")) {
            String state = i.path("state").asText();
            if ("master".equals(i.path("role").asText()) && ("active".equals(state) || "joining".equals(state))) {
                masters.add(i);
            }
        }
        return masters;
    }

    /** How many masters it has now: counted from its instances, or as requested while it has none. */
    static int masterCount(JsonNode cluster) {
        int counted = masters(cluster).size();
        return counted > 0 ? counted : cluster.path("masters").asInt();
    }

    /** {@code join 3/7 migrate}, or null when no task runs. */
    static String taskSummary(JsonNode cluster) {
        JsonNode task = cluster.path("task");
        if (task.isMissingNode() || task.isNull()) {
            return null;
        }
        String state = task.path("state").asText();
        if (state.equals("done") || state.equals("failed")) {
            return task.path("kind").asText() + " " + state;
        }
        return task.path("kind").asText() + " " + Math.min(task.path("stepsDone").asInt() + 1,
                task.path("steps").asInt()) + "/" + task.path("steps").asInt() + " " + task.path("step").asText();
    }
}
