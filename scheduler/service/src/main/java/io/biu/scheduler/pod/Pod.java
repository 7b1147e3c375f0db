package io.biu.scheduler.pod;

import io.biu.scheduler.api.JsonColumns;
import io.biu.scheduler.cpu.CpuLimit;
import io.biu.scheduler.cpu.ShareBase;
import io.biu.scheduler.ipam.AddressPool;
import io.biu.scheduler.ipam.Ipv4;
import io.biu.scheduler.ipam.Ipv4Subnet;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.MappedProperty;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/** A named group of nodes and the policy its containers run under. */
@MappedEntity("pod")
public record Pod(
        @Id String name,
        int shareBase,
        CpuBinding cpuBinding,
        CpuLimit cpuLimit,
        NetworkMode networkMode,
        @Nullable String subnet,
        @Nullable String gateway,
        @Nullable String parent,
        @Nullable String ipRange,
        @MappedProperty(converter = JsonColumns.StringList.class) List<String> excluded,
        String storageDriver,
        @MappedProperty(converter = JsonColumns.StringList.class) List<String> tenants,
        long ipamCursor,
        Instant createdAt) {

    public ShareBase base() {
        return ShareBase.of(shareBase);
    }

    public boolean bound() {
        return cpuBinding == CpuBinding.BOUND;
    }

    public boolean allows(String tenant) {
        return tenants.contains(tenant);
    }

    /** The Docker network every node of a MacVLAN pod carries. */
    public String networkName() {
        return "biu-" + name;
    }

    /** The pod's addresses; only for MacVLAN pods. */
    public AddressPool addressPool() {
        return new AddressPool(Ipv4Subnet.parse(subnet), Ipv4.parse(gateway),
                ipRange == null ? null : Ipv4Subnet.parse(ipRange),
                excluded.stream().map(Ipv4::parse).collect(Collectors.toSet()));
    }

    public Pod withIpamCursor(long cursor) {
        return new Pod(name, shareBase, cpuBinding, cpuLimit, networkMode, subnet, gateway, parent, ipRange, excluded,
                storageDriver, tenants, cursor, createdAt);
    }

    public Pod withTenants(List<String> allowed) {
        return new Pod(name, shareBase, cpuBinding, cpuLimit, networkMode, subnet, gateway, parent, ipRange, excluded,
                storageDriver, List.copyOf(allowed), ipamCursor, createdAt);
    }
}
