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
 * <p>Invariants, for the dispatcher and the backend connections, which report to it:
 * <ul>
 *   <li>{@link #waitingForConnection()} is the number of this client's parts whose {@link Part#waitingForConnection}
 *       is set, and only this class sets or clears that flag: the count returns to zero once the connections those
 *       parts wait for open or fail, however often a part is reported.</li>
 *   <li>a part is parked at most once at a time, and parked parts leave in {@link Part#sequence} order.</li>
 *   <li>at most one retry is scheduled at a time; until it is due, no parked part leaves.</li>
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
        return retryScheduled || waitingForConnection > 0 ? null : parked.poll();
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
