package io.biu.scheduler.node;

import io.biu.scheduler.api.JsonColumns;
import io.biu.scheduler.client.NodeState;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A Docker host in a pod: what its engine reported, what the operator lets the scheduler use of it
 * ({@code cores}, {@code memory}), and its state.
 */
@MappedEntity("node")
public record Node(
        @Id @GeneratedValue @Nullable Long id,
        String name,
        String pod,
        String endpoint,
        @Nullable String tlsDir,
        String cores,
        long memory,
        int engineCores,
        long engineMemory,
        String storageDriver,
        @MappedProperty(converter = JsonColumns.StringMap.class) Map<String, String> labels,
        boolean cordoned,
        NodeState state,
        Instant createdAt,
        @Nullable Instant leaseExpires) {

    /** The host part of the endpoint (the node's address for TCP endpoints). */
    public String host() {
        String rest = endpoint.replaceFirst("^[a-z]+://", "");
        int colon = rest.lastIndexOf(':');
        return colon > 0 ? rest.substring(0, colon) : rest;
    }

    /** The core ids the scheduler may use. */
    public List<Integer> coreIds() {
        return cores.isEmpty() ? List.of() : Arrays.stream(cores.split(",")).map(Integer::valueOf).toList();
    }

    public Node withCordoned(boolean value) {
        return new Node(id, name, pod, endpoint, tlsDir, cores, memory, engineCores, engineMemory, storageDriver,
                labels, value, state, createdAt, leaseExpires);
    }

    public Node withState(NodeState value) {
        return new Node(id, name, pod, endpoint, tlsDir, cores, memory, engineCores, engineMemory, storageDriver,
                labels, cordoned, value, createdAt, leaseExpires);
    }
}
