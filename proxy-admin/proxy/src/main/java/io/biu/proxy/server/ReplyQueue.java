package io.biu.proxy.server;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import java.util.ArrayDeque;
import java.util.logging.Logger;

/**
 * A client's replies, written in the order its commands came however the backends interleave, and the pace at
 * which the client is read, so that what it has in flight stays bounded. It owns the queue of the client's
 * commands waiting for replies ({@link Pending}), the replies gathered for the next flush ({@link WriteBatch}), the
 * {@link ReplyWindow}, and whether reading is paused or over.
 *
 * <p>Invariants:
 * <ul>
 *   <li>a reply is written only once the replies of every earlier command have been: commands leave the queue
 *       from its head, each when its reply is written;</li>
 *   <li>reading is paused exactly while {@link ReplyWindow#limit()} commands or more wait, or the channel takes no
 *       more writes (its replies do not leave as fast as they are made). That is looked at again after each
 *       command read, each reply and each change of writability; when reading resumes, the session is told
 *       ({@code resume}), to parse what it read before the pause;</li>
 *   <li>a paused client whose unread replies still pile up past the limits is disconnected
 *       ({@link #overBuffer});</li>
 *   <li>once {@link #closed()}, no command is read; replies that still come are written until the channel is
 *       inactive, then freed.</li>
 * </ul>
 * Everything runs on the client's event loop.
 */
final class ReplyQueue implements LoopState.Flushable {

    private static final Logger LOG = Logger.getLogger(ReplyQueue.class.getName());

    /**
     * What a client's commands in flight may be expected to bring back: Redis holds the replies to a pipeline
     * until the proxy reads them, on a connection that many clients share.
     */
    static final long IN_FLIGHT_REPLY_BYTES = 1 << 20;

    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private final WriteBatch batch = new WriteBatch();
    private final ReplyWindow window;
    private final ProxyConfig config;
    private final Stats stats;
    /** Run when reading resumes after a pause. */
    private final Runnable resume;
    private ChannelHandlerContext ctx;
    private LoopState loop;
    private boolean paused;
    private boolean dirty;
    private boolean closed;

    ReplyQueue(ProxyConfig config, Stats stats, Runnable resume) {
        this.config = config;
        this.stats = stats;
        this.resume = resume;
        this.window = new ReplyWindow(Math.min(IN_FLIGHT_REPLY_BYTES, config.clientBufferBytes()),
                config.maxPipeline());
    }

    /** The client's channel is active, on {@code loop}. */
    void attach(ChannelHandlerContext ctx, LoopState loop) {
        this.ctx = ctx;
        this.loop = loop;
    }

    /** A command was read: its reply goes out after those of the commands before it. */
    void add(Pending p) {
        queue.add(p);
    }

    /** Whether the next command may be read: the client is not closed, and not paused. */
    boolean reading() {
        return !closed && !paused;
    }

    /** The client is being closed, or is: no command is read any more. */
    boolean closed() {
        return closed;
    }

    /** Reads no more commands: the client is being closed. */
    void close() {
        closed = true;
    }

    /** Reads no more commands, and closes the connection once the replies written so far have left. */
    void closeAfterReplies() {
        closed = true;
        ctx.channel().writeAndFlush(batch.take()).addListener(ChannelFutureListener.CLOSE);
    }

    /** Reads while the client has room: few enough commands waiting, and replies leaving as fast as made. */
    void updateReading() {
        boolean full = queue.size() >= window.limit() || !ctx.channel().isWritable();
        if (full != paused) {
            paused = full;
            ctx.channel().config().setAutoRead(!full);
            if (!full) {
                resume.run();
            }
        }
    }

    /** A pending command got its reply: write every reply now at the head of the queue. */
    void replied(Pending done) {
        if (closed && !ctx.channel().isActive()) {
            queue.remove(done);
            done.discard();
            return;
        }
        Pending head;
        long now = loop.now();
        while ((head = queue.peek()) != null && head.done()) {
            queue.poll();
            stats.command(now - head.startedNanos);
            window.observed(head.reply().readableBytes());
            batch.add(ctx.channel(), head.reply());
        }
        if (paused && overBuffer()) {
            return;
        }
        if (!dirty) {
            dirty = true;
            loop.flushLater(this);
        }
        if (paused) {
            updateReading();
        }
    }

    /**
     * Disconnects a client whose replies pile up unread: past the hard limit, or past the soft one while the
     * proxy's buffers run short. Reading from it stopped at the soft limit, but the commands it had pipelined
     * by then were sent on, and their replies keep coming.
     */
    private boolean overBuffer() {
        ChannelOutboundBuffer out = ctx.channel().unsafe().outboundBuffer();
        long waiting = out == null ? 0 : out.totalPendingWriteBytes();
        if (waiting <= config.clientBufferBytes()
                || (waiting <= config.clientBufferHardBytes() && !BufferMemory.runningShort())) {
            return false;
        }
        stats.slowReader();
        LOG.warning(() -> "client " + ctx.channel().remoteAddress() + " does not read its replies (" + waiting
                + " bytes waiting): disconnected");
        closed = true;
        ctx.close();
        return true;
    }

    @Override
    public void flushNow() {
        dirty = false;
        batch.drain(ctx.channel());
        ctx.flush();
    }

    /** The channel is inactive: frees the commands still waiting and what was not written. */
    void release() {
        closed = true;
        queue.forEach(Pending::discard);
        queue.clear();
        batch.release();
    }
}
