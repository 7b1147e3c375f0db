package io.biu.scheduler.ipam;

import io.biu.scheduler.error.SchedulerError;
import io.biu.scheduler.error.SchedulerException;

/** IPv4 addresses as unsigned values in a {@code long}, and their dotted form. */
public final class Ipv4 {

    private Ipv4() {
    }

    public static long parse(String dotted) {
        String[] parts = dotted == null ? new String[0] : dotted.trim().split("\\.", -1);
        if (parts.length != 4) {
            throw bad(dotted);
        }
        long value = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(Character::isDigit)) {
                throw bad(dotted);
            }
            int octet = Integer.parseInt(part);
            if (octet > 255) {
                throw bad(dotted);
            }
            value = (value << 8) | octet;
        }
        return value;
    }

    public static String format(long address) {
        return ((address >> 24) & 0xff) + "." + ((address >> 16) & 0xff) + "." + ((address >> 8) & 0xff) + "."
                + (address & 0xff);
    }

    private static SchedulerException bad(String dotted) {
        return SchedulerException.invalid(SchedulerError.INVALID_SUBNET,
                "'%s' is not an IPv4 address (like 10.64.128.10)", dotted);
    }
}
