package io.biu.proxy.cluster;

import io.biu.proxy.resp.Slots;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Which master serves each slot, shared by all event loops. A refresh replaces every entry from a node's
 * CLUSTER SLOTS; a MOVED reply corrects one entry at once, before the next refresh confirms it.
 */
public final class SlotTable {

    private final AtomicReferenceArray<Address> masters = new AtomicReferenceArray<>(Slots.COUNT);
    private volatile List<Address> all = List.of();
    private volatile long version;
    /** {@link #version} plus one while a change is being made, equal to it otherwise: see {@link #unchangedSince}. */
    private volatile long changing;

    /** The master of {@code slot}, or {@code null} if no master serves it (as far as the proxy knows). */
    public Address master(int slot) {
        return masters.get(slot);
    }

    /** Every master known, in the order of their first slots. */
    public List<Address> masters() {
        return all;
    }

    /** A number that grows with every change of the table. */
    public long version() {
        return version;
    }

    /**
     * Whether the table is still as it was at {@code version}, with no change begun since: true after reading
     * {@code version} and then entries means those entries are the ones of that version.
     */
    public boolean unchangedSince(long version) {
        return changing == version;
    }

    /** Replaces the whole table: {@code ranges} are {@code [first, last]} slot ranges with their masters. */
    public synchronized void replace(Collection<Range> ranges) {
        changing = version + 1;
        Address[] next = new Address[Slots.COUNT];
        for (Range r : ranges) {
            for (int s = r.first(); s <= r.last(); s++) {
                next[s] = r.master();
            }
        }
        Set<Address> order = new LinkedHashSet<>();
        for (int s = 0; s < Slots.COUNT; s++) {
            masters.set(s, next[s]);
            if (next[s] != null) {
                order.add(next[s]);
            }
        }
        all = List.copyOf(order);
        version++;
    }

    /** A MOVED reply: {@code slot} is served by {@code master} now. */
    public synchronized void moved(int slot, Address master) {
        changing = version + 1;
        masters.set(slot, master);
        if (!all.contains(master)) {
            List<Address> grown = new ArrayList<>(all);
            grown.add(master);
            all = List.copyOf(grown);
        }
        version++;
    }

    /** Slots no master serves. */
    public int uncovered() {
        int n = 0;
        for (int s = 0; s < Slots.COUNT; s++) {
            n += masters.get(s) == null ? 1 : 0;
        }
        return n;
    }

    /** A range of slots and their master. */
    public record Range(int first, int last, Address master) {
        public Range {
            if (first < 0 || last >= Slots.COUNT || first > last) {
                throw new IllegalArgumentException("bad slot range " + first + "-" + last);
            }
        }
    }
}
