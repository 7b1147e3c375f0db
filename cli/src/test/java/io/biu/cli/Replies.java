package io.biu.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.biu.cli.api.ServiceApi;
import io.biu.redisctl.client.ClusterState;
import io.biu.redisctl.client.ClusterView;
import io.biu.redisctl.client.Persistence;
import io.biu.redisctl.client.TaskKind;
import io.biu.redisctl.client.TaskState;
import io.biu.redisctl.client.TaskView;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/** What the services answer, written from their contracts' records, for stubbed services. */
final class Replies {

    private static final Instant AT = Instant.parse("2026-12-04T10:00:00Z");

    private Replies() {
    }

    static String json(Object reply) {
        try {
            return ServiceApi.JSON.writeValueAsString(reply);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ClusterView cluster(long id, String name, ClusterState state) {
        return new ClusterView(id, name, "team", "lab", state, 1, 0, "0.1", 64 << 20, 48 << 20, Persistence.NONE,
                "noeviction", List.of(), null, null, AT);
    }

    static TaskView task(long id, TaskKind kind, TaskState state, String step, int stepsDone, String progress,
            String error) {
        return new TaskView(id, 1, kind, state, step, stepsDone, kind.steps().size(), progress, error, 0, AT, null,
                List.of());
    }
}
