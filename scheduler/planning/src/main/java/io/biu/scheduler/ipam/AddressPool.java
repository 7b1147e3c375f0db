package io.biu.scheduler.ipam;

import io.biu.scheduler.error.SchedulerError;
import io.biu.scheduler.error.SchedulerException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The addresses a pod hands to its containers: the hosts of {@code range} (the subnet, or a part of it),
 * except the gateway and any {@code excluded} address (a host's shim, a router).
 *
 * <p>Allocation goes round the range from a cursor, so a released address is the last to be handed out
 * again: a peer that still remembers a removed container's address is unlikely to reach a new one there.
 * Addresses in {@code used}, lost containers' included, are never handed out (fencing).
 */
public record AddressPool(Ipv4Subnet subnet, long gateway, Ipv4Subnet range, Set<Long> excluded) {

    /** Addresses handed out and where the next search starts. */
    public record Allocation(List<Long> addresses, long cursor) {
        public Allocation {
            addresses = List.copyOf(addresses);
        }
    }

    /** A pod's subnet: from a /8 down to a /29 (four hosts besides network and broadcast). */
    public static final int MIN_PREFIX = 8;
    public static final int MAX_PREFIX = 29;

    public AddressPool {
        Objects.requireNonNull(subnet, "subnet");
        if (subnet.prefix() < MIN_PREFIX || subnet.prefix() > MAX_PREFIX) {
            throw SchedulerException.invalid(SchedulerError.INVALID_SUBNET,
                    "a pod subnet of /%d is not supported: use /%d to /%d", subnet.prefix(), MIN_PREFIX, MAX_PREFIX);
        }
        range = range == null ? subnet : range;
        excluded = Set.copyOf(excluded);
        if (!subnet.contains(gateway) || gateway == subnet.network() || gateway == subnet.broadcast()) {
            throw SchedulerException.invalid(SchedulerError.INVALID_SUBNET,
                    "gateway %s is not a host address of %s", Ipv4.format(gateway), subnet);
        }
        if (!subnet.contains(range)) {
            throw SchedulerException.invalid(SchedulerError.INVALID_SUBNET,
                    "allocation range %s is not inside subnet %s", range, subnet);
        }
    }

    private long first() {
        return Math.max(range.network(), subnet.firstHost());
    }

    private long last() {
        return Math.min(range.broadcast(), subnet.lastHost());
    }

    /** Whether a container may hold this address. */
    public boolean assignable(long address) {
        return address >= first() && address <= last() && address != gateway && !excluded.contains(address);
    }

    /** How many addresses the pool has in all. */
    public long size() {
        long size = last() - first() + 1;
        if (gateway >= first() && gateway <= last()) {
            size--;
        }
        for (long e : excluded) {
            if (e != gateway && e >= first() && e <= last()) {
                size--;
            }
        }
        return size;
    }

    /**
     * {@code count} free addresses, searching upwards from just after {@code cursor} and wrapping round.
     *
     * @throws SchedulerException {@link SchedulerError#SUBNET_EXHAUSTED} when fewer are free
     */
    public Allocation allocate(Set<Long> used, long cursor, int count) {
        if (count < 0) {
            throw new IllegalArgumentException("count " + count);
        }
        long free = size() - used.stream().filter(this::assignable).count();
        if (free < count) {
            throw SchedulerException.invalid(SchedulerError.SUBNET_EXHAUSTED,
                    "%s has %d free addresses, %d needed: widen the pod's subnet or remove containers", range, free,
                    count);
        }
        List<Long> picked = new ArrayList<>(count);
        long span = last() - first() + 1;
        long start = cursor < first() || cursor > last() ? last() : cursor;
        long address = start;
        for (long step = 0; step < span && picked.size() < count; step++) {
            address = address >= last() ? first() : address + 1;
            if (assignable(address) && !used.contains(address)) {
                picked.add(address);
            }
        }
        return new Allocation(picked, picked.isEmpty() ? cursor : picked.get(picked.size() - 1));
    }
}
