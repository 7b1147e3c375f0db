package io.biu.scheduler.client;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The scheduler's JSON documents, as far as other services read or write them. Unknown fields are ignored. */
public final class Schema {

    private Schema() {
    }

    /** A secret file copied into each container before it starts; {@code content} is base64. */
    @Serdeable
    public record FileSpec(String path, String content, @Nullable String mode) {
    }

    /** Ready when a TCP connect to {@code tcp} succeeds, or when {@code command} exits 0 inside the container. */
    @Serdeable
    public record Probe(@Nullable Integer tcp, @Nullable List<String> command, @Nullable Integer periodSeconds) {
    }

    @Serdeable
    public record AppSpec(String name, String pod, String image, @Nullable List<String> command,
            @Nullable Map<String, String> env, BigDecimal cpu, String memory, @Nullable String antiAffinity,
            @Nullable Map<String, String> nodeSelector, @Nullable Map<String, String> labels, @Nullable Probe probe,
            @Nullable List<FileSpec> files, @Nullable String volume, @Nullable Integer ports,
            @Nullable Integer stopGraceSeconds) {
    }

    @Serdeable
    public record App(long id, String tenant, String name, String pod, String image, List<String> command,
            int cpuPieces, long memory, Map<String, String> labels, @Nullable String volume, int ports) {
    }

    /** Deploy {@code count} containers; those sharing a group never share a node. */
    @Serdeable
    public record Deploy(int count, @Nullable String strategy, @Nullable List<String> groups, @Nullable String role,
            @Nullable Map<String, String> nodeSelector) {
    }

    /** Scale an app to {@code replicas} containers. */
    @Serdeable
    public record Scale(int replicas, @Nullable String strategy) {
    }

    /** Room in a pod for containers of one size: how many in all, and per node (with why a node has none). */
    @Serdeable
    public record Capacity(String pod, int total, List<NodeCapacity> nodes) {
    }

    @Serdeable
    public record NodeCapacity(String node, int count, @Nullable String reason) {
    }

    /** A pod, as far as other services care: how its containers are reached. */
    @Serdeable
    public record Pod(String name, PodNetwork network) {

        /** Containers share their node's network and get host ports rather than an address of their own. */
        public boolean hostNetwork() {
            return "host".equals(network.mode());
        }
    }

    @Serdeable
    public record PodNetwork(String mode) {
    }

    @Serdeable
    public record Container(long id, String name, String app, String tenant, String pod, String node,
            @Nullable String role, @Nullable String group, String state, boolean ready, @Nullable String address,
            @Nullable List<Integer> hostPorts, @Nullable String nodeAddress, String cpu, long memory,
            @Nullable Instant createdAt) {

        public boolean running() {
            return "running".equals(state);
        }

        /** Where the container is reached: its own address, or (host networking) its node's. */
        public @Nullable String host() {
            return address != null ? address : nodeAddress;
        }

        /** The port the container's {@code port} is reached at: itself, or its first host port. */
        public int port(int port) {
            return address != null || hostPorts == null || hostPorts.isEmpty() ? port : hostPorts.get(0);
        }
    }

    @Serdeable
    public record Removal(long id, boolean removed, String message) {
    }

    @Serdeable
    public record IntrospectRequest(String token) {
    }

    /** {@code kind} is operator, tenant or service; {@code tenant} is set for tenant tokens. */
    @Serdeable
    public record Introspection(boolean active, @Nullable String name, @Nullable String kind,
            @Nullable String tenant) {
    }

    /** A container as events carry it. */
    @Serdeable
    public record EventContainer(long id, String name, String app, String tenant, String pod, String node,
            @Nullable String role, @Nullable String group, String state, boolean ready, @Nullable String address,
            @Nullable List<Integer> ports, @Nullable Map<String, String> labels) {
    }

    @Serdeable
    public record EventNode(String name, String pod, String state) {
    }

    /**
     * One entry of the scheduler's event stream: {@code type} is container.started, .ready, .stopping,
     * .stopped, .died, .lost, .removed, or node.up, .down, .cordoned.
     */
    @Serdeable
    public record Event(long seq, String type, Instant time, @Nullable EventContainer container,
            @Nullable EventNode node) {
    }
}
