package io.biu.proxy.server;

import io.netty.buffer.ByteBuf;

/**
 * A client's command waiting for its reply, in the client's queue: replies go out in the order commands came
 * in, whichever backend answers first. A command split over several slots (or sent to every master) has a
 * part per backend request; its {@link Merge} makes the one reply the client sees once all parts are in.
 */
final class Pending {

    /** How the replies of a command's parts become its reply. */
    interface Merge {
        ByteBuf merge(ClientSession client, ByteBuf[] parts);
    }

    final ClientSession client;
    final long startedNanos;
    private ByteBuf reply;
    private ByteBuf[] parts;
    private int missing;
    private Merge merge;

    Pending(ClientSession client, long startedNanos) {
        this.client = client;
        this.startedNanos = startedNanos;
    }

    /** Expects {@code count} part replies, merged by {@code merge}. */
    void split(int count, Merge merge) {
        this.parts = new ByteBuf[count];
        this.missing = count;
        this.merge = merge;
    }

    boolean done() {
        return reply != null;
    }

    ByteBuf reply() {
        return reply;
    }

    /** The whole reply; the pending command takes ownership of {@code buf}. */
    void complete(ByteBuf buf) {
        if (reply != null) {
            buf.release();
            return;
        }
        reply = buf;
        client.replies.replied(this);
    }

    /** Part {@code index}'s reply (ownership taken); the last one to arrive completes the command. */
    void completePart(int index, ByteBuf buf) {
        if (parts == null || parts[index] != null || reply != null) {
            buf.release();
            return;
        }
        parts[index] = buf;
        if (--missing == 0) {
            ByteBuf merged;
            try {
                merged = merge.merge(client, parts);
            } finally {
                for (ByteBuf p : parts) {
                    p.release();
                }
                parts = null;
            }
            complete(merged);
        }
    }

    /** Frees what the pending command holds, when its client is gone. */
    void discard() {
        if (reply != null) {
            reply.release();
            reply = null;
        }
        if (parts != null) {
            for (int i = 0; i < parts.length; i++) {
                if (parts[i] != null) {
                    parts[i].release();
                    parts[i] = null;
                }
            }
        }
    }
}
