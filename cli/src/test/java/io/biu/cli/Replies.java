package io.biu.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.biu.cli.api.ServiceApi;
import io.biu.redisctl.client.ClusterState;
import io.biu.redisctl.client.ClusterView;
import io.biu.redisctl.client.Persistence;
import io.biu.redisctl.client.TaskKind;
import io.biu.redisctl.client.TaskState;
import io.biu.redisctl.client.TaskView;
import io.biu.scheduler.client.ContainerState;
import io.biu.scheduler.client.NodeState;
import io.biu.scheduler.client.Schema;
import io.biu.scheduler.client.TokenKind;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What the services answer, written from their contracts' records, for stubbed services. */
final class Replies {

    static final Instant AT = Instant.parse("2026-12-04T10:00:00Z");

    /** As the services write their records: absent values left out, instants as ISO-8601 text. */
    private static final ObjectMapper SERVICES = ServiceApi.JSON.copy()
            .setSerializationInclusion(JsonInclude.Include.NON_ABSENT)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    private Replies() {
    }

    static String json(Object reply) {
        try {
            return SERVICES.writeValueAsString(reply);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ClusterView cluster(long id, String name, ClusterState state) {
        return new ClusterView(id, name, "team", "lab", state, 1, 0, "0.1", 64 << 20, 48 << 20, Persistence.NONE,
                "noeviction", List.of(), null, null, AT, true);
    }

    static TaskView task(long id, TaskKind kind, TaskState state, String step, int stepsDone, String progress,
            String error) {
        return new TaskView(id, 1, kind, state, step, stepsDone, kind.steps().size(), progress, error, 0, AT, null,
                List.of());
    }

    /** A MacVLAN pod on 10.1.0.0/16, bound cores in hundredths, shares. */
    static Schema.Pod pod(String name, List<String> tenants) {
        return new Schema.Pod(name, 100, "0.01 cores", "bound", "shares", new Schema.Network("macvlan",
                "10.1.0.0/16", "10.1.0.1", "eth0", null, List.of(), "biu-" + name), "overlay2", tenants, AT);
    }

    /** A pod whose containers share their nodes' network: no subnet, gateway, parent or range. */
    static Schema.Pod hostPod(String name) {
        return new Schema.Pod(name, 10, "0.1 cores", "public", "quota", new Schema.Network("host", null, null, null,
                null, List.of(), null), "overlay2", List.of(), AT);
    }

    static Schema.Node node(String name, String pod, NodeState state, boolean cordoned, List<Integer> cores,
            Map<String, String> labels) {
        return new Schema.Node(7, name, pod, "tcp://10.0.0.14:2376", null, cores, 30L << 30, "30GiB", 8, 32L << 30,
                "overlay2", labels, cordoned, state, AT);
    }

    static Schema.Token token(long id, String name, TokenKind kind, String tenant, Instant revokedAt) {
        return new Schema.Token(id, name, kind, tenant, "biu_" + id + "x", AT, revokedAt, null, List.of());
    }

    /** An event about container {@code name} of {@code app}, on node1 of pod lab. */
    static Schema.Event containerEvent(long seq, String type, String name, String app, String address) {
        return new Schema.Event(seq, type, AT.plusSeconds(seq), new Schema.EventContainer(seq, name, app, "team",
                "lab", "node1", null, null, ContainerState.RUNNING.id(), false, address, null, "10.0.0.11", Map.of(),
                "0.1", null, 64 << 20, null, null), null);
    }

    static Schema.Event nodeEvent(long seq, String type, String name, String pod, NodeState state) {
        return new Schema.Event(seq, type, AT.plusSeconds(seq), null, new Schema.EventNode(name, pod, null, false,
                state.id()));
    }
}
