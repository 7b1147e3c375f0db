package io.biu.proxy.server;

/**
 * How many commands of one client may be waiting for replies at once, so that the replies they are bound to
 * bring stay within a budget of bytes. A command sent on cannot be called back, and Redis builds all the
 * replies to a pipeline it has read before it writes them: a client that pipelines thousands of reads of
 * large values and never reads its replies would otherwise make its master hold gigabytes of replies, and be
 * killed for it, though the proxy stops reading the client and disconnects it long before.
 *
 * <p>Reply sizes are not known in advance, so the window follows the sizes this client's replies had: it
 * takes a larger reply at once and lets a smaller one pull the estimate down by an eighth. A new client
 * starts as if its replies were large, with a few commands in flight, and opens up as small replies come
 * back: a long pipeline of small commands pays a couple of round trips for it.
 */
final class ReplyWindow {

    /** Commands in flight however large the replies: with fewer, a client would wait a round trip for each. */
    static final int MIN = 4;

    private final long budgetBytes;
    private final int max;
    private long estimate;

    /** A window of at most {@code max} commands whose replies should stay within {@code budgetBytes}. */
    ReplyWindow(long budgetBytes, int max) {
        if (budgetBytes <= 0 || max <= 0) {
            throw new IllegalArgumentException("budget and maximum must be positive");
        }
        this.budgetBytes = budgetBytes;
        this.max = max;
        this.estimate = Math.max(1, budgetBytes / MIN);
    }

    /** A reply of {@code bytes} reached this client. */
    void observed(int bytes) {
        estimate = bytes >= estimate ? bytes : estimate - (estimate - bytes) / 8;
    }

    /** Commands that may be waiting for replies now. */
    int limit() {
        long fit = budgetBytes / Math.max(1, estimate);
        return (int) Math.max(Math.min(MIN, max), Math.min(fit, max));
    }

    long estimate() {
        return estimate;
    }
}
