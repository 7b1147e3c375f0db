package io.biu.scheduler.ipam;

import io.biu.scheduler.error.SchedulerError;
import io.biu.scheduler.error.SchedulerException;

/** An IPv4 network in CIDR form, e.g. 10.64.128.0/17. */
public record Ipv4Subnet(long network, int prefix) {

    public Ipv4Subnet {
        if (prefix < 0 || prefix > 32) {
            throw SchedulerException.invalid(SchedulerError.INVALID_SUBNET, "prefix /%d is not an IPv4 prefix", prefix);
        }
        if ((network & ~mask(prefix)) != 0) {
            throw SchedulerException.invalid(SchedulerError.INVALID_SUBNET,
                    "%s/%d is not a network address: did you mean %s/%d?", Ipv4.format(network), prefix,
                    Ipv4.format(network & mask(prefix)), prefix);
        }
    }

    public static Ipv4Subnet parse(String cidr) {
        int slash = cidr == null ? -1 : cidr.indexOf('/');
        if (slash < 0) {
            throw SchedulerException.invalid(SchedulerError.INVALID_SUBNET,
                    "'%s' is not a subnet in CIDR form (like 10.64.128.0/17)", cidr);
        }
        String prefix = cidr.substring(slash + 1).trim();
        if (prefix.isEmpty() || prefix.length() > 2 || !prefix.chars().allMatch(Character::isDigit)) {
            throw SchedulerException.invalid(SchedulerError.INVALID_SUBNET,
                    "'%s' has no valid prefix length after the slash", cidr);
        }
        return new Ipv4Subnet(Ipv4.parse(cidr.substring(0, slash)), Integer.parseInt(prefix));
    }

    private static long mask(int prefix) {
        return (0xffffffffL << (32 - prefix)) & 0xffffffffL;
    }

    public long broadcast() {
        return network | (~mask(prefix) & 0xffffffffL);
    }

    /** The first address a host may have (the one after the network address). */
    public long firstHost() {
        return network + 1;
    }

    /** The last address a host may have (the one before the broadcast address). */
    public long lastHost() {
        return broadcast() - 1;
    }

    public boolean contains(long address) {
        return (address & mask(prefix)) == network;
    }

    public boolean contains(Ipv4Subnet other) {
        return other.prefix >= prefix && contains(other.network);
    }

    @Override
    public String toString() {
        return Ipv4.format(network) + "/" + prefix;
    }
}
