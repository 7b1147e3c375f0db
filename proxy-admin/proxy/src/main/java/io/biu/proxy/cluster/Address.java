package io.biu.proxy.cluster;

import java.util.Objects;

/** A Redis instance's address, as CLUSTER SLOTS and MOVED name it. */
public record Address(String host, int port) {

    public Address {
        Objects.requireNonNull(host, "host");
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range");
        }
    }

    /** {@code host:port} (the host may be an IPv6 address: the port follows the last colon). */
    public static Address parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("'" + text + "' is not host:port");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new Address(host, Integer.parseInt(text.substring(colon + 1)));
    }

    /** Looked up for every command: plain arithmetic rather than the generated record method. */
    @Override
    public int hashCode() {
        return 31 * host.hashCode() + port;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof Address a && port == a.port && host.equals(a.host);
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
