package io.biu.proxy.server;

import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * The order in which one client's parts reach the cluster: the order its commands came in. Redis runs one
 * connection's commands in the order sent, and a client counts on it (a SET then a GET of the same key), so the
 * proxy must not let a part overtake an earlier part of the same client, even when the two go to different
 * masters over different connections.
 *
 * <p>A part normally goes out as soon as its command is read ({@link #admit} says yes). An earlier part may not
 * have reached its backend yet, though: it waits in a connection that is not open yet, or it is parked to be
 * sent again (after CLUSTERDOWN, TRYAGAIN, a master that cannot be reached). While that is so, every new part of
 * the client is parked behind it. Parked parts leave in their sequence order ({@link #next}), and only while no
 * part waits for a connection and no retry is due later: a part that has to wait again holds back the ones
 * behind it.
 *
 * <p>Nor may a part overtake an earlier one whose master changed meanwhile. Parts are routed with the slot table
 * as it is when they go out; when the table changes (a slot moved) while parts of the client are in flight, an
 * earlier part may be on its way to the slot's old master, to be redirected (MOVED, ASK) to the new one, where a
 * later part routed with the new table would have run first: a SET then a SET of the same key would leave the
 * first value. So a part routed with another table than the client's parts in flight is held ({@link #mayGo}),
 * with every later part, until those parts are answered, failed or parked ({@link #settled}). Tables change
 * rarely, and a hold lasts a round trip. A part redirected (MOVED, ASK) while other parts of its client are unsettled
 * is parked in its place in the same way ({@link #redirected}) rather than sent at once: a later part redirected
 * while an earlier one waits for its retry would otherwise run first. A part sent to an ASK's target counts as
 * routed with another table. Blocking commands, on connections of their client's own, are left out:
 * the commands behind one do not wait for it, with or without a change of the table.
 *
 * <p>Invariants, for the dispatcher and the backend connections, which report to it:
 * <ul>
 *   <li>{@link #waitingForConnection()} is the number of this client's parts whose {@link Part#waitingForConnection}
 *       is set, and only this class sets or clears that flag: the count returns to zero once the connections those
 *       parts wait for open or fail, however often a part is reported.</li>
 *   <li>a part is parked at most once at a time, and parked parts leave in {@link Part#sequence} order.</li>
 *   <li>at most one retry is scheduled at a time; until it is due, no parked part leaves.</li>
 *   <li>{@link #inFlight()} is the number of this client's parts whose {@link Part#inFlight} is set, and only this
 *       class sets or clears that flag; while a part is held, none leaves until that number is zero.</li>
 * </ul>
 * Everything runs on the client's event loop: there is nothing to lock.
 */
final class SendOrder {

    private static final Comparator<Part> BY_SEQUENCE = Comparator.comparingLong(p -> p.sequence);

    /**
     * Parts to send again and every part of this client that came after them, in the client's order.
     */
    private final PriorityQueue<Part> parked = new PriorityQueue<>(BY_SEQUENCE);
    /** Parts of this client queued in a backend connection that is not open yet. */
    private int waitingForConnection;
    private boolean retryScheduled;
    private long sequence;
    /** Parts of this client written to a backend connection and not yet answered, failed or parked. */
    private int inFlight;
    /** The slot table's version when the parts in flight were routed (the first of them, since none was). */
    private long routedWith;
    /** Whether a part is held until the parts in flight settle: it was routed with another table than theirs. */
    private boolean held;

    /** The place of a new part among this client's parts. */
    long nextSequence() {
        return sequence++;
    }

    /**
     * Whether a new part may go out now; if not, it is parked behind the earlier parts of this client that have not
     * reached the cluster, and leaves after them ({@link #next}).
     */
    boolean admit(Part part) {
        if (parked.isEmpty() && waitingForConnection == 0) {
            return true;
        }
        parked.add(part);
        return false;
    }

    /**
     * The parked part to send now, taken out of the queue; {@code null} while none may go (nothing is parked, a
     * part waits for a connection, or a retry is not due yet). Asked again after each part sent, since sending
     * one may make the next wait.
     */
    Part next() {
        return retryScheduled || waitingForConnection > 0 || held ? null : parked.poll();
    }

    /**
     * Whether {@code part}, not in flight, routed with the slot table at {@code tableVersion} ({@code -1}: a table
     * being changed), may go out now; if not, it is held, parked in its place, until the client's parts in flight
     * have settled. It may go when none is in flight, or when they were routed with the same table.
     */
    boolean mayGo(Part part, long tableVersion) {
        if (inFlight == 0) {
            routedWith = tableVersion;
            return true;
        }
        if (tableVersion == routedWith && tableVersion >= 0) {
            return true;
        }
        held = true;
        parked.add(part);
        return false;
    }

    /** {@code part} was written to a backend connection (or queued in one): it is in flight until it settles. */
    void sent(Part part) {
        if (!part.inFlight) {
            part.inFlight = true;
            inFlight++;
        }
    }

    /**
     * {@code part} is no longer in flight: answered, failed, or parked to be sent again. Returns whether parts were
     * held behind the client's parts in flight, and may go now ({@link #next}).
     */
    boolean settled(Part part) {
        if (!part.inFlight) {
            return false;
        }
        part.inFlight = false;
        inFlight--;
        if (inFlight == 0 && held) {
            held = false;
            return true;
        }
        return false;
    }

    /**
     * {@code part}, in flight, was redirected: it goes again at once only if it is the client's only part not yet
     * answered; else it is parked in its place, held while other parts are in flight, and leaves in order
     * ({@link #next}). Returns whether it may go now.
     */
    boolean redirected(Part part) {
        boolean released = settled(part);
        if (!released && inFlight == 0 && parked.isEmpty() && waitingForConnection == 0 && !retryScheduled) {
            return true;
        }
        if (inFlight > 0) {
            held = true;
        }
        parked.add(part);
        return false;
    }

    int inFlight() {
        return inFlight;
    }

    /**
     * Parks {@code part} to be sent again in its place among this client's parts. Returns whether the caller must
     * schedule the retry (and call {@link #retryDue} when it comes); {@code false} if one is scheduled already.
     */
    boolean retry(Part part) {
        parked.add(part);
        if (retryScheduled) {
            return false;
        }
        retryScheduled = true;
        return true;
    }

    /** The scheduled retry has come: parked parts may leave again ({@link #next}). */
    void retryDue() {
        retryScheduled = false;
    }

    /** {@code part} was queued in a backend connection that is not open yet. */
    void waitForConnection(Part part) {
        if (!part.waitingForConnection) {
            part.waitingForConnection = true;
            waitingForConnection++;
        }
    }

    /** {@code part} no longer waits for a connection: the connection opened (it is written) or failed. */
    void doneWaiting(Part part) {
        if (part.waitingForConnection) {
            part.waitingForConnection = false;
            waitingForConnection--;
        }
    }

    int waitingForConnection() {
        return waitingForConnection;
    }

    int parked() {
        return parked.size();
    }

    /** The client is gone: frees the parked parts' requests. */
    void discard() {
        Part part;
        while ((part = parked.poll()) != null) {
            part.request.release();
        }
    }
}
