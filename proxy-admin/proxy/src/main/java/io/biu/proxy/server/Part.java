package io.biu.proxy.server;

import io.biu.proxy.cluster.Address;
import io.netty.buffer.ByteBuf;

/**
 * One request to a backend on behalf of a client's command (the whole command, or one slot's share of it),
 * kept until its reply arrives so that it can be sent again after a redirection or while the cluster fails
 * over. It owns one reference to {@link #request}.
 */
final class Part {

    /** Replies to expect from a backend for this part, the last of which is the one that counts. */
    final int replies;
    final Pending owner;
    final int index;
    final ByteBuf request;
    final int slot;
    /** A fixed target (fan-out to every master), or {@code null} to follow the slot table. */
    final Address fixed;
    /** Set by an ASK redirection: the next attempt goes there, preceded by ASKING. */
    Address ask;
    /** A MOVED redirection to an address not (yet) in the table. */
    Address moved;
    int redirects;
    int attempts;
    /** Until when it may be retried (its command's arrival plus the retry window, or later: see Dispatcher#lost). */
    long deadlineNanos;
    /** When it was last written to a backend connection: the reply deadline counts from here. */
    long sentNanos;
    /**
     * How long a blocking command may wait at its master by its own request (BLPOP's timeout, XREAD's BLOCK), on top
     * of the reply deadline; {@link Long#MAX_VALUE} when it asked to wait without end.
     */
    long blockNanos;
    /**
     * A master that left this part unanswered until the proxy gave up on it: the part is sent again only to another
     * one, once the slot table names one (or to none, when the retry window closes first).
     */
    Address unanswered;
    /** For a transaction: the first redirection among the replies to its queued commands. */
    String redirection;
    /** A client's own connection for commands that block. */
    final DedicatedConnections dedicatedTo;
    /** Its place among its client's parts: parts sent again go out in this order. */
    final long sequence;
    /** Queued in a backend connection that is not open yet: set and cleared by its client's {@link SendOrder}. */
    boolean waitingForConnection;
    /**
     * Written to a backend connection (or queued in one) and not yet answered, failed or parked again: set and
     * cleared by its client's {@link SendOrder}.
     */
    boolean inFlight;
    /** A read: sent again (rather than failed) if its connection breaks while it is in flight. */
    boolean resendable;

    Part(Pending owner, int index, ByteBuf request, int slot, Address fixed, int replies,
            DedicatedConnections dedicatedTo) {
        this.owner = owner;
        this.index = index;
        this.request = request;
        this.slot = slot;
        this.fixed = fixed;
        this.replies = replies;
        this.dedicatedTo = dedicatedTo;
        this.sequence = owner.client.order.nextSequence();
    }

    /** The send order of this part's client. */
    SendOrder order() {
        return owner.client.order;
    }

    Part resendable(boolean readOnly) {
        this.resendable = readOnly;
        return this;
    }

    /**
     * Delivers the reply (owned by the caller until now) to the client's pending command; the client's parts held
     * behind this one may go.
     */
    void deliver(ByteBuf reply) {
        request.release();
        boolean releasesHeld = order().settled(this);
        if (index < 0) {
            owner.complete(reply);
        } else {
            owner.completePart(index, reply);
        }
        if (releasesHeld) {
            owner.client.sendHeldParts();
        }
    }
}
