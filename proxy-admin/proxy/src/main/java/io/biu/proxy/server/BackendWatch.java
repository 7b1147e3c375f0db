package io.biu.proxy.server;

import io.biu.proxy.cluster.Address;
import io.biu.proxy.cluster.SlotTable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One event loop's look, a few times a second, at its connections to the cluster, so that no client waits
 * forever for a master that went silent:
 * <ul>
 *   <li>a connection whose oldest command sent has waited past the reply deadline
 *       ({@link ProxyConfig#replyDeadline()}; for a blocking command, plus the time it asked to block) is
 *       closed;</li>
 *   <li>when the slot table changed and no longer names a master it named before (the cluster failed it over, or
 *       it was drained or removed), the loop's connections to it are retired: closed at once if nothing waits on
 *       them, else once what they have in flight has had {@link #DEMOTED_GRACE_NANOS} to be answered. The cluster
 *       already knows that master is gone, so its clients need not wait out the whole deadline.</li>
 * </ul>
 * Closing a connection resolves what waits on it ({@link BackendConnection}, {@link Dispatcher#lost}). The check
 * costs the commands nothing: each connection knows when its oldest unanswered command was sent (replies come in
 * order), so there is no timer per command, and a look at a connection is a glance at the head of its queue.
 * It runs on the loop, like everything it looks at.
 */
final class BackendWatch implements Runnable {

    /** How long a master the slot table no longer names has to answer what it has in flight. */
    static final long DEMOTED_GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final LoopState loop;
    private final SlotTable table;
    private final long graceNanos;
    private long seenVersion;
    private Set<Address> seenMasters;
    /** Reused on every look: the loop's connections, then those to close. */
    private final List<BackendConnection> connections = new ArrayList<>();

    /** Watches {@code loop}'s connections; masters that leave {@code table} are retired with a grace period. */
    BackendWatch(LoopState loop, SlotTable table, long replyDeadlineNanos) {
        this.loop = loop;
        this.table = table;
        this.graceNanos = Math.min(DEMOTED_GRACE_NANOS, replyDeadlineNanos);
        this.seenVersion = table.version();
        this.seenMasters = new HashSet<>(table.masters());
    }

    /** How often to look: a tenth of the deadline, within 10 to 250 ms. */
    static long periodMillis(long replyDeadlineNanos) {
        return Math.max(10, Math.min(250, TimeUnit.NANOSECONDS.toMillis(replyDeadlineNanos) / 10));
    }

    @Override
    public void run() {
        long now = loop.tick();
        try {
            long version = table.version();
            if (version != seenVersion) {
                seenVersion = version;
                Set<Address> masters = new HashSet<>(table.masters());
                Set<Address> gone = seenMasters;
                gone.removeAll(masters);
                seenMasters = masters;
                if (!gone.isEmpty()) {
                    retire(gone, now);
                }
            }
            loop.connections(connections);
            for (BackendConnection c : connections) {
                String why = c.overdue(now, graceNanos);
                if (why != null) {
                    c.closeUnanswered(why);
                } else if (c.retired() && c.idle()) {
                    c.close();
                }
            }
        } finally {
            connections.clear();
        }
    }

    private void retire(Set<Address> gone, long now) {
        loop.connections(connections);
        for (BackendConnection c : connections) {
            if (gone.contains(c.address)) {
                c.retire(now);
            }
        }
        connections.clear();
    }
}
