package io.biu.scheduler.container;

import io.biu.scheduler.client.ContainerState;
import io.biu.scheduler.cpu.CpuPlan;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** A container and the resources it holds, from its reservation until its removal is confirmed. */
@MappedEntity("container")
public record Container(
        @Id @GeneratedValue @Nullable Long id,
        long appId,
        long nodeId,
        String pod,
        String tenant,
        String name,
        @Nullable String role,
        @Nullable @MappedProperty("grp") String group,
        ContainerState state,
        @Nullable String engineId,
        @Nullable String address,
        String hostPorts,
        int cpuPieces,
        String exclusiveCores,
        int fragmentCore,
        int fragmentPieces,
        long memory,
        boolean ready,
        @Nullable Integer exitCode,
        Instant createdAt,
        Instant updatedAt,
        @Nullable String volumeKey,
        @Nullable String volumeName) {

    /** A new reservation; {@code volumeKey} and {@code volumeName} are null unless it mounts a key's volume. */
    static Container reserved(long appId, long nodeId, String pod, String tenant, String name, @Nullable String role,
            @Nullable String group, @Nullable String address, String hostPorts, CpuPlan cpu, long memory, Instant now,
            @Nullable String volumeKey, @Nullable String volumeName) {
        return new Container(null, appId, nodeId, pod, tenant, name, role, group, ContainerState.RESERVED, null, address,
                hostPorts, cpu.pieces(), join(cpu.exclusiveCores()), cpu.fragmentCore(), cpu.fragmentPieces(), memory,
                false, null, now, now, volumeKey, volumeName);
    }

    private static String join(List<Integer> values) {
        return values.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** The CPU the container holds. */
    public CpuPlan cpu() {
        List<Integer> exclusive = exclusiveCores.isEmpty() ? List.of()
                : Arrays.stream(exclusiveCores.split(",")).map(Integer::valueOf).toList();
        return new CpuPlan(cpuPieces, exclusive, fragmentCore, fragmentPieces);
    }

    public List<Integer> ports() {
        return hostPorts.isEmpty() ? List.of() : Arrays.stream(hostPorts.split(",")).map(Integer::valueOf).toList();
    }

    Container withState(ContainerState next, Instant now) {
        return new Container(id, appId, nodeId, pod, tenant, name, role, group, next, engineId, address, hostPorts,
                cpuPieces, exclusiveCores, fragmentCore, fragmentPieces, memory, ready && next == ContainerState.RUNNING,
                exitCode, createdAt, now, volumeKey, volumeName);
    }

    Container withReady(boolean value, Instant now) {
        return new Container(id, appId, nodeId, pod, tenant, name, role, group, state, engineId, address, hostPorts,
                cpuPieces, exclusiveCores, fragmentCore, fragmentPieces, memory, value, exitCode, createdAt, now,
                volumeKey, volumeName);
    }

    Container withExit(int code, Instant now) {
        return new Container(id, appId, nodeId, pod, tenant, name, role, group, ContainerState.DIED, engineId,
                address, hostPorts, cpuPieces, exclusiveCores, fragmentCore, fragmentPieces, memory, false, code,
                createdAt, now, volumeKey, volumeName);
    }

    Container created(String engine, Instant now) {
        return new Container(id, appId, nodeId, pod, tenant, name, role, group, ContainerState.CREATED, engine, address,
                hostPorts, cpuPieces, exclusiveCores, fragmentCore, fragmentPieces, memory, false, exitCode, createdAt,
                now, volumeKey, volumeName);
    }
}
