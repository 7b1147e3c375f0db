package io.biu.proxy.cluster;

import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The cluster's instances as redis-ctl's table has them: the only addresses the proxy connects to. A slot table, a
 * MOVED or an ASK that names any other address is refused, counted and logged (once a minute per address): a process
 * that got itself into the cluster's view, or an address that was an instance's and now is someone else's, never
 * gets a client's command, nor the cluster's password the proxy would send it. proxy-admin replaces the list when
 * the cluster's instances change ({@code BIUPROXY MEMBERS}), and again at a fixed interval.
 */
public final class Members {

    private static final Logger LOG = Logger.getLogger(Members.class.getName());
    private static final long LOG_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private volatile Set<Address> allowed;
    private final LongAdder refused = new LongAdder();
    private final Map<Address, Long> lastLogged = new ConcurrentHashMap<>();

    public Members(Collection<Address> members) {
        this.allowed = checked(members);
    }

    private static Set<Address> checked(Collection<Address> members) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a cluster has at least one instance: an empty list would refuse all");
        }
        return Set.copyOf(members);
    }

    /** Whether {@code address} is one of the cluster's; if not, the refusal is counted and logged ({@code why}). */
    public boolean allows(Address address, String why) {
        if (allowed.contains(address)) {
            return true;
        }
        refused.increment();
        long now = System.nanoTime();
        Long last = lastLogged.get(address);
        if ((last == null || now - last > LOG_EVERY_NANOS) && lastLogged.size() < 10_000) {
            lastLogged.put(address, now);
            LOG.log(Level.WARNING, "refused {0}: {1}, which is not one of the cluster''s instances",
                    new Object[] {why, address});
        }
        return false;
    }

    /** The cluster's instances from now on. */
    public void replace(Collection<Address> members) {
        allowed = checked(members);
    }

    /** The cluster's instances. */
    public Set<Address> all() {
        return allowed;
    }

    public int size() {
        return allowed.size();
    }

    /** Addresses refused so far. */
    public long refused() {
        return refused.sum();
    }
}
