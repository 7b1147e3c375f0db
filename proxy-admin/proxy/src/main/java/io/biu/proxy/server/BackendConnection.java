package io.biu.proxy.server;

import io.biu.proxy.cluster.Address;
import io.biu.proxy.resp.Resp;
import io.biu.proxy.resp.RespProtocolException;
import io.biu.proxy.resp.RespScanner;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One connection to a Redis instance, on one event loop: commands of many clients go out on it pipelined,
 * and replies come back in the same order, each to the part that asked. It authenticates with the cluster's
 * password before anything else (pipelined ahead of the first commands). Until connected, parts wait; if the
 * connection cannot be made or breaks, the dispatcher decides what becomes of them.
 *
 * <p>Every command sent has a reply deadline. Replies come in the order commands were sent, so the oldest command
 * without a reply is the head of {@link #inflight}, and the connection knows when it was sent: the loop's
 * {@link BackendWatch} looks at it a few times a second ({@link #overdue}) and closes a connection whose head has
 * waited longer than the deadline, which resolves everything waiting on it. A master can fall silent without the
 * connection breaking (a network partition drops packets rather than resetting), and replies in order mean that
 * one command without an answer would otherwise hold up every later one of its client.
 */
final class BackendConnection extends ChannelInboundHandlerAdapter implements LoopState.Flushable {

    private static final Logger LOG = Logger.getLogger(BackendConnection.class.getName());
    /** An entry of {@link #inflight} for a command the proxy sent on its own account (AUTH, ASKING). */
    private record Own(long sentNanos) {
    }

    final Address address;
    private final Dispatcher dispatcher;
    final LoopState loop;
    private final List<Part> waiting = new ArrayList<>();
    /** Commands sent and not answered, oldest first: {@link Part}s and {@link Own}s. */
    private final ArrayDeque<Object> inflight = new ArrayDeque<>();
    /** How long the oldest command sent may wait for its reply (a blocking command longer: {@link Part#blockNanos}). */
    private final long replyDeadlineNanos;
    /** When the slot table stopped naming this connection's master; {@link #NOT_RETIRED} while it names it. */
    private long retiredNanos = NOT_RETIRED;
    private static final long NOT_RETIRED = Long.MIN_VALUE;
    private Channel channel;
    private boolean connected;
    private boolean closed;
    private boolean dirty;
    private final WriteBatch batch = new WriteBatch();
    private ByteBuf cumulation;
    /** Replies still due to the part at the head of {@link #inflight} (a transaction has several). */
    private int headRepliesLeft;

    /** A connection whose commands must be answered within {@code replyDeadlineNanos} of being sent. */
    BackendConnection(Address address, Dispatcher dispatcher, LoopState loop, long replyDeadlineNanos) {
        this.address = address;
        this.dispatcher = dispatcher;
        this.loop = loop;
        this.replyDeadlineNanos = replyDeadlineNanos;
    }

    void connect(EventLoop eventLoop, Class<? extends Channel> channelClass, int connectTimeoutMillis) {
        ChannelFuture f = new Bootstrap().group(eventLoop).channel(channelClass)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis)
                .handler(this)
                .connect(address.host(), address.port());
        channel = f.channel();
        f.addListener(done -> {
            loop.tick();
            if (done.isSuccess()) {
                connected = true;
                String password = dispatcher.backendPassword();
                if (password != null) {
                    send(new Own(loop.now()), Resp.command(channel.alloc(), "AUTH", password));
                }
                List<Part> ready = new ArrayList<>(waiting);
                waiting.clear();
                Set<SendOrder> clients = new LinkedHashSet<>();
                for (Part part : ready) {
                    clients.add(part.order());
                    write(part);
                }
                markDirty();
                // their clients' later parts waited behind them
                clients.forEach(order -> dispatcher.drain(order, loop));
            } else {
                failed("cannot connect to " + address + ": " + describe(done.cause()), false);
            }
        });
    }

    /** Sends {@code part} now, or once connected. */
    void write(Part part) {
        if (closed) {
            dispatcher.unsent(part, "the connection to " + address + " is closed");
            return;
        }
        if (!connected) {
            part.order().waitForConnection(part);
            waiting.add(part);
            return;
        }
        if (part.waitingForConnection) {
            // the flag is read here so that a part that never waited (nearly all) costs no more than this
            part.order().doneWaiting(part);
        }
        if (part.ask != null) {
            send(new Own(loop.now()), Resp.command(channel.alloc(), "ASKING"));
            part.ask = null;
        }
        part.sentNanos = loop.now();
        enqueue(part);
        batch.addCopy(channel, part.request);
        markDirty();
    }

    private void send(Object entry, ByteBuf bytes) {
        enqueue(entry);
        batch.add(channel, bytes);
    }

    private void enqueue(Object entry) {
        if (inflight.isEmpty()) {
            headRepliesLeft = entry instanceof Part p ? p.replies : 1;
        }
        inflight.add(entry);
    }

    private void markDirty() {
        if (!dirty) {
            dirty = true;
            loop.flushFirst(this);
        }
    }

    @Override
    public void flushNow() {
        dirty = false;
        if (channel != null && connected) {
            batch.drain(channel);
            channel.flush();
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        loop.tick();
        if (cumulation == null) {
            cumulation = in;
        } else {
            cumulation = loop.cumulate(cumulation, in);
        }
        try {
            while (cumulation.isReadable()) {
                int from = cumulation.readerIndex();
                int end = RespScanner.end(cumulation, from, cumulation.writerIndex());
                if (end < 0) {
                    break;
                }
                ByteBuf reply = cumulation.retainedSlice(from, end - from);
                cumulation.readerIndex(end);
                onReply(reply);
            }
        } catch (RespProtocolException e) {
            LOG.log(Level.WARNING, "{0} sent something that is not RESP: {1}", new Object[] {address, e.getMessage()});
            ctx.close();
        } finally {
            if (cumulation != null && !cumulation.isReadable()) {
                cumulation.release();
                cumulation = null;
            }
        }
    }

    private void onReply(ByteBuf reply) {
        Object head = inflight.peek();
        if (head == null) {
            reply.release();
            throw new RespProtocolException("a reply nobody asked for");
        }
        if (--headRepliesLeft > 0) {
            // a transaction's MULTI and queued commands: only a redirection among them matters
            if (head instanceof Part p && p.redirection == null && reply.getByte(reply.readerIndex()) == '-') {
                String error = reply.toString(StandardCharsets.UTF_8);
                if (error.startsWith("-MOVED ") || error.startsWith("-ASK ")) {
                    p.redirection = error.substring(1).trim();
                }
            }
            reply.release();
            return;
        }
        inflight.poll();
        Object next = inflight.peek();
        headRepliesLeft = next instanceof Part p ? p.replies : 1;
        if (head instanceof Own) {
            if (reply.getByte(reply.readerIndex()) == '-') {
                LOG.log(Level.WARNING, "{0} refused the proxy''s own command: {1}",
                        new Object[] {address, reply.toString(StandardCharsets.UTF_8).trim()});
            }
            reply.release();
            return;
        }
        dispatcher.replied((Part) head, reply, this);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        loop.flushAllSoon();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        loop.tick();
        failed("the connection to " + address + " was lost", false);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.FINE, "connection to {0}: {1}", new Object[] {address, describe(cause)});
        ctx.close();
    }

    /**
     * Closes the connection and resolves what waits on it: parts not sent yet are sent again, parts sent are
     * {@link Dispatcher#lost lost} ({@code unanswered}: because the backend did not answer them in time).
     */
    private void failed(String why, boolean unanswered) {
        if (closed) {
            return;
        }
        closed = true;
        connected = false;
        dispatcher.connectionClosed(this);
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
        batch.release();
        List<Part> unsent = new ArrayList<>(waiting);
        waiting.clear();
        unsent.forEach(p -> dispatcher.unsent(p, why));
        for (Object o : inflight) {
            if (o instanceof Part p) {
                dispatcher.lost(p, why, this, unanswered);
            }
        }
        inflight.clear();
        if (channel != null) {
            channel.close();
        }
    }

    void close() {
        failed("closed by the proxy", false);
    }

    /** Closes the connection because its backend did not answer in time ({@code why}). */
    void closeUnanswered(String why) {
        LOG.log(Level.WARNING, "closing the connection to {0} with {1} commands unanswered: {2}",
                new Object[] {address, inflight.size(), why});
        dispatcher.unanswered();
        failed(why, true);
    }

    /**
     * The slot table no longer names this connection's master (it failed over, was drained, or left): from
     * {@code now}, what it has in flight gets {@code graceNanos} to be answered (a master that is alive answers at
     * once, with the reply or a redirection), and a connection with nothing in flight closes at once.
     */
    void retire(long now) {
        if (idle()) {
            close();
        } else if (retiredNanos == NOT_RETIRED) {
            retiredNanos = now;
        }
    }

    /**
     * Why this connection must be closed at {@code now}, or {@code null}: its oldest command has waited longer than
     * the reply deadline (plus what it asked to block for), or, once retired, longer than {@code graceNanos} since.
     * Looked at a few times a second.
     */
    String overdue(long now, long graceNanos) {
        Object head = inflight.peek();
        if (head == null) {
            return null;
        }
        long waited;
        long allowed = replyDeadlineNanos;
        if (head instanceof Part p) {
            waited = now - p.sentNanos;
            allowed += Math.min(p.blockNanos, Long.MAX_VALUE - allowed);
        } else {
            waited = now - ((Own) head).sentNanos();
        }
        if (waited > allowed) {
            return address + " did not reply within " + TimeUnit.NANOSECONDS.toMillis(allowed) + " ms";
        }
        if (retiredNanos != NOT_RETIRED && now - retiredNanos > graceNanos) {
            return address + " no longer serves any slot as a master and did not reply";
        }
        return null;
    }

    /** Whether nothing waits on this connection: no command in flight, none waiting for it to open. */
    boolean idle() {
        return inflight.isEmpty() && waiting.isEmpty();
    }

    /** Whether the slot table stopped naming this connection's master while it had commands in flight. */
    boolean retired() {
        return retiredNanos != NOT_RETIRED;
    }

    boolean closed() {
        return closed;
    }

    private static String describe(Throwable t) {
        return t == null ? "unknown" : t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
