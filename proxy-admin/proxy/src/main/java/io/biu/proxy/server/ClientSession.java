package io.biu.proxy.server;

import io.biu.proxy.resp.Request;
import io.biu.proxy.resp.RequestParser;
import io.biu.proxy.resp.Resp;
import io.biu.proxy.resp.RespProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One client connection: it cuts the client's bytes into commands and hands each to the part of the session that
 * owns it. A command first takes its place in the {@link ReplyQueue}, so that its reply goes back in the order the
 * commands came, however the backends interleave; then, unless the client has to authenticate first or a
 * {@link Transaction} queues it, the {@link ProxyCommands} run it if it is the proxy's own, or the
 * {@link CommandRouter} sends it to the cluster, in the client's {@link SendOrder}, through the {@link Dispatcher}.
 *
 * <p>The session itself owns the channel's life: the count of connected clients, the bytes read and not parsed yet
 * (kept while reading is paused, parsed when it resumes), and closing with an error. Its parts are made with it and
 * freed when the channel goes inactive. Everything here runs on the client's event loop.
 *
 * <p>Limits: a client with {@link ProxyConfig#maxPipeline()} commands waiting (fewer while its replies are
 * large: see {@link ReplyWindow}), or whose replies the network does not take fast enough, is not read from
 * until it catches up; one whose unread replies still pile up past
 * {@link ProxyConfig#clientBufferHardBytes()} (or past the soft limit while buffers run short) is disconnected;
 * a malformed or oversized command closes it with an error.
 *
 * <p>Before it authenticated (when a password is required), a client is held to {@link PreAuth}'s limits: small
 * commands, a deadline, a few failed AUTHs, and a bounded number of such connections per source address. A RESET
 * makes the client unauthenticated again, with the small commands' limit, but without a new deadline. With TLS, the
 * session is active from the TCP connection on, before the handshake: a client that never completes it holds one of
 * {@link PreAuth}'s places until it is closed, by the handshake's timeout or by the deadline, whichever comes first
 * (the deadline closes it without a reply, which could not be sent).
 */
final class ClientSession extends ChannelInboundHandlerAdapter {

    /** The most arguments of one command (once authenticated). */
    static final int MAX_ARGS = 1024 * 1024;

    private final Dispatcher dispatcher;
    private final ProxyConfig config;
    private final Stats stats;
    private final RequestParser parser;
    private ChannelHandlerContext ctx;
    private LoopState loop;
    private ByteBuf cumulation;
    private boolean counted;
    /** This client's replies, in order, and the pace at which it is read. */
    final ReplyQueue replies;
    /** The order in which this client's parts reach the cluster. */
    final SendOrder order = new SendOrder();
    /** Where this client's commands go in the cluster. */
    final CommandRouter router;
    /** This client's MULTI ... EXEC. */
    final Transaction transaction;
    /** The commands the proxy runs itself, and who this client is. */
    private final ProxyCommands own;
    private final Runnable parseLater = this::parseAvailable;
    private final PreAuth preAuth;
    /** The source address holding one of {@link PreAuth}'s places, until the client authenticates or leaves. */
    private String waitingSource;
    private ScheduledFuture<?> authDeadline;
    private int authFailures;
    /** Whether the client has a TLS handshake to complete still (never, without TLS). */
    private boolean handshaking;
    private final long maxRequestBytes;

    ClientSession(Dispatcher dispatcher, ProxyConfig config, Stats stats, Access access, PreAuth preAuth,
            TlsServing tls) {
        this.dispatcher = dispatcher;
        this.config = config;
        this.stats = stats;
        this.preAuth = preAuth;
        this.maxRequestBytes = BufferMemory.requestLimit(config.maxRequestBytes());
        this.parser = new RequestParser(PreAuth.MAX_REQUEST_BYTES, PreAuth.MAX_ARGS);
        this.replies = new ReplyQueue(config, stats, this::readingResumed);
        this.router = new CommandRouter(this, dispatcher);
        this.transaction = new Transaction(this, dispatcher);
        this.own = new ProxyCommands(this, access, stats, dispatcher, tls);
        this.handshaking = tls.on();
    }

    /** The allocator of the client's channel (once active), for the replies the proxy makes. */
    ByteBufAllocator alloc() {
        return ctx.alloc();
    }

    /** The client's channel (once active). */
    Channel channel() {
        return ctx.channel();
    }

    /** The state of the client's event loop. */
    LoopState loop() {
        return loop;
    }

    /** Sends the parts {@link SendOrder} held behind parts routed with an older slot table, now settled. */
    void sendHeldParts() {
        dispatcher.drain(order, loop);
    }

    /**
     * Turns the connection away as it opens: with the error, or, before a TLS handshake, at once (the error would wait
     * for a handshake the proxy would pay for, and keep the connection open meanwhile).
     */
    private void refuse(String error) {
        stats.rejected();
        if (handshaking) {
            ctx.close();
        } else {
            ctx.writeAndFlush(Resp.error(ctx.alloc(), error)).addListener(ChannelFutureListener.CLOSE);
        }
        replies.close();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.loop = dispatcher.loop(ctx.channel().eventLoop());
        replies.attach(ctx, loop);
        stats.connected();
        counted = true;
        if (stats.clients.incrementAndGet() > config.maxClients()) {
            refuse("ERR max number of clients reached");
            return;
        }
        own.connected();
        if (!own.authenticated()) {
            String source = PreAuth.source(ctx.channel().remoteAddress());
            if (!preAuth.admit(source)) {
                refuse("ERR too many unauthenticated connections from " + source
                        + ": authenticate the open ones first");
                return;
            }
            waitingSource = source;
            authDeadline = ctx.executor().schedule(() -> {
                if (!own.authenticated()) {
                    loop.tick();
                    if (handshaking) {
                        ctx.close(); // a reply would wait for the handshake: there is nobody to tell
                    } else {
                        closeWith("ERR not authenticated within " + config.authTimeout().toMillis()
                                + " ms: closing");
                    }
                }
            }, config.authTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The client authenticated: the full limits apply, and its pre-authentication place and deadline go. */
    void authenticated() {
        endPreAuth();
    }

    /** An AUTH of this client failed: counted, and the client closed once it failed too often. */
    void authFailed() {
        stats.authFailed();
        preAuth.failed(PreAuth.source(ctx.channel().remoteAddress()));
        if (++authFailures >= config.maxAuthFailures()) {
            closeWith("ERR " + authFailures + " failed AUTH attempts: closing");
        }
    }

    private void endPreAuth() {
        if (authDeadline != null) {
            authDeadline.cancel(false);
            authDeadline = null;
        }
        if (waitingSource != null) {
            preAuth.leave(waitingSource);
            waitingSource = null;
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        if (replies.closed()) {
            in.release();
            return;
        }
        cumulation = cumulation == null ? in : loop.cumulate(cumulation, in);
        parseAvailable();
    }

    /** Parses what was read (just now, or before reading paused); its commands start at one clock reading. */
    private void parseAvailable() {
        loop.tick();
        try {
            while (replies.reading() && cumulation != null) {
                if (own.authenticated()) {
                    parser.limits(maxRequestBytes, MAX_ARGS);
                } else {
                    parser.limits(PreAuth.MAX_REQUEST_BYTES, PreAuth.MAX_ARGS);
                }
                Request r = parser.next(cumulation);
                if (r == null) {
                    break;
                }
                handle(r);
                replies.updateReading();
            }
        } catch (RespProtocolException e) {
            closeWith("ERR Protocol error: " + e.getMessage());
        } finally {
            if (cumulation != null && !cumulation.isReadable()) {
                cumulation.release();
                cumulation = null;
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        loop.flushAllSoon();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        replies.updateReading();
    }

    /** Reading resumed after a pause: parses what was read before it. */
    private void readingResumed() {
        if (cumulation != null) {
            ctx.channel().eventLoop().execute(parseLater);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent done && done.isSuccess()) {
            handshaking = false;
        } else if (evt instanceof IdleStateEvent) {
            loop.tick();
            closeWith("ERR idle for longer than " + config.idleTimeout().toSeconds() + " s: closing");
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        endPreAuth();
        replies.release();
        if (counted) {
            stats.clients.decrementAndGet();
            counted = false;
        }
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
        transaction.clear();
        order.discard();
        router.close();
    }

    /** Answers {@code error} after the replies due before it, then closes the connection. */
    private void closeWith(String error) {
        Pending p = new Pending(this, loop.now());
        replies.add(p);
        p.complete(Resp.error(ctx.alloc(), error));
        replies.closeAfterReplies();
    }

    /** Answers {@code p} with an error (counted as one). */
    void error(Pending p, String message) {
        stats.error();
        p.complete(Resp.error(ctx.alloc(), message));
    }

    /** A command read: its place among the replies, then its owner runs it. */
    private void handle(Request r) {
        Pending p = new Pending(this, loop.now());
        replies.add(p);
        try {
            execute(p, r);
        } catch (RuntimeException e) {
            r.release();
            error(p, "ERR proxy: " + e.getMessage());
        }
    }

    /** Authentication first, then a transaction's queue, then the command's route. */
    private void execute(Pending p, Request r) {
        Commands.Spec spec = Commands.of(r);
        String command = spec != null ? spec.name() : r.name();
        if (!own.authenticated() && !command.equals("AUTH") && !command.equals("HELLO") && !command.equals("QUIT")
                && !(command.equals("BIUPROXY") && r.argc() == 2 && r.argIs(1, "CHALLENGE"))) {
            r.release();
            error(p, "NOAUTH Authentication required.");
            return;
        }
        if (transaction.open() && !Transaction.runsAtOnce(command)) {
            transaction.queue(p, r);
            return;
        }
        if (spec == null) {
            String name = printable(r.argText(0)); // before the release: the text is read from the request's bytes
            r.release();
            error(p, "ERR unknown or unsupported command '" + name + "': the Biu proxy does not run it");
            return;
        }
        switch (spec.route()) {
            case PROXY -> own.run(p, r, command);
            case KEYED -> router.keyed(p, r, spec, CommandRouter.blocks(r, command));
            case BLOCKING -> router.keyed(p, r, spec, true);
            case MGET, MSET, SUM -> router.split(p, r, spec);
        }
    }

    /** {@code s} cut short and with control characters replaced, to quote in an error. */
    static String printable(String s) {
        String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return cut.replaceAll("[\\p{Cntrl}]", "?");
    }
}
