package io.biu.proxy.server;

import io.biu.proxy.resp.Request;
import io.biu.proxy.resp.RequestParser;
import io.biu.proxy.resp.Resp;
import io.biu.proxy.resp.RespProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * One client connection: cuts its bytes into commands, answers the ones the proxy handles itself, sends the
 * others to the cluster through the {@link Dispatcher}, and writes replies back in the order the commands
 * came, however the backends interleave. Everything here runs on the client's event loop.
 *
 * <p>Limits: a client with {@link ProxyConfig#maxPipeline()} commands waiting (fewer while its replies are
 * large: see {@link ReplyWindow}), or whose replies the network does not take fast enough, is not read from
 * until it catches up; one whose unread replies still pile up past
 * {@link ProxyConfig#clientBufferHardBytes()} (or past the soft limit while buffers run short) is disconnected;
 * a malformed or oversized command closes it with an error.
 */
final class ClientSession extends ChannelInboundHandlerAdapter {

    private final Dispatcher dispatcher;
    private final ProxyConfig config;
    private final Stats stats;
    private final RequestParser parser;
    private final Access access;
    private ChannelHandlerContext ctx;
    private LoopState loop;
    private ByteBuf cumulation;
    private boolean authenticated;
    private boolean admin;
    private boolean counted;
    private String name;
    /** This client's replies, in order, and the pace at which it is read. */
    final ReplyQueue replies;
    /** The order in which this client's parts reach the cluster. */
    final SendOrder order = new SendOrder();
    private final CommandRouter router;
    private final Transaction transaction;
    private final Runnable parseLater = this::parseAvailable;

    ClientSession(Dispatcher dispatcher, ProxyConfig config, Stats stats, Access access) {
        this.dispatcher = dispatcher;
        this.config = config;
        this.stats = stats;
        this.access = access;
        this.parser = new RequestParser(config.maxRequestBytes(), 1024 * 1024);
        this.replies = new ReplyQueue(config, stats, this::readingResumed);
        this.router = new CommandRouter(this, dispatcher);
        this.transaction = new Transaction(this, dispatcher);
    }

    ByteBufAllocator alloc() {
        return ctx.alloc();
    }

    /** The state of the client's event loop. */
    LoopState loop() {
        return loop;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.loop = dispatcher.loop(ctx.channel().eventLoop());
        replies.attach(ctx, loop);
        stats.connected();
        counted = true;
        if (stats.clients.incrementAndGet() > config.maxClients()) {
            stats.rejected();
            ctx.writeAndFlush(Resp.error(ctx.alloc(), "ERR max number of clients reached"))
                    .addListener(ChannelFutureListener.CLOSE);
            replies.close();
            return;
        }
        authenticated = !access.required();
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
        if (evt instanceof IdleStateEvent) {
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

    private void reply(Pending p, ByteBuf reply) {
        p.complete(reply);
    }

    /** Answers {@code p} with an error (counted as one). */
    void error(Pending p, String message) {
        stats.error();
        p.complete(Resp.error(ctx.alloc(), message));
    }

    // ---- commands

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

    private void execute(Pending p, Request r) {
        Commands.Spec spec = Commands.of(r);
        String command = spec != null ? spec.name() : r.name();
        if (!authenticated && !command.equals("AUTH") && !command.equals("HELLO") && !command.equals("QUIT")) {
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
            case PROXY -> ownCommand(p, r, command);
            case KEYED -> router.keyed(p, r, spec, CommandRouter.blocks(r, command));
            case BLOCKING -> router.keyed(p, r, spec, true);
            case MGET, MSET, SUM -> router.split(p, r, spec);
        }
    }

    // ---- the proxy's own commands

    private void ownCommand(Pending p, Request r, String command) {
        try {
            switch (command) {
                case "PING" -> reply(p, r.argc() > 1 ? Resp.bulk(ctx.alloc(), r.arg(1)) : Resp.PONG.duplicate());
                case "ECHO" -> reply(p, r.argc() == 2 ? Resp.bulk(ctx.alloc(), r.arg(1))
                        : Resp.error(ctx.alloc(), "ERR wrong number of arguments for 'echo' command"));
                case "AUTH" -> auth(p, r);
                case "HELLO" -> hello(p, r);
                case "SELECT" -> reply(p, r.argc() == 2 && r.argText(1).equals("0") ? Resp.OK.duplicate()
                        : Resp.error(ctx.alloc(), "ERR DB index is out of range (a cluster has database 0 only)"));
                case "QUIT" -> {
                    reply(p, Resp.OK.duplicate());
                    replies.closeAfterReplies();
                }
                case "RESET" -> {
                    transaction.clear();
                    name = null;
                    authenticated = !access.required();
                    reply(p, Resp.simple(ctx.alloc(), "RESET"));
                }
                case "READONLY", "READWRITE", "UNWATCH" -> reply(p, Resp.OK.duplicate());
                case "CLIENT" -> client(p, r);
                case "INFO" -> reply(p, Resp.bulk(ctx.alloc(), info()));
                case "BIUPROXY" -> biuproxy(p, r);
                case "MULTI" -> transaction.multi(p);
                case "EXEC" -> transaction.exec(p);
                case "DISCARD" -> transaction.discard(p);
                case "WATCH" -> error(p, "ERR WATCH is not supported by the proxy: its connections to the "
                        + "cluster are shared, so a watch could not be kept; use a transaction or a script");
                case "COMMAND", "TIME", "RANDOMKEY" -> {
                    router.anyMaster(p, r);
                    return;
                }
                case "KEYS" -> {
                    router.everyMaster(p, r, Merges.CONCAT, true);
                    return;
                }
                case "DBSIZE" -> {
                    router.everyMaster(p, r, Merges.SUM, true);
                    return;
                }
                case "FLUSHALL", "FLUSHDB" -> {
                    router.everyMaster(p, r, Merges.ALL_OK, false);
                    return;
                }
                case "SCRIPT" -> {
                    router.everyMaster(p, r, Merges.FIRST, false);
                    return;
                }
                case "SCAN" -> {
                    router.scan(p, r);
                    return;
                }
                default -> error(p, "ERR unsupported command '" + command + "'");
            }
        } catch (RuntimeException e) {
            error(p, "ERR " + e.getMessage());
        }
        r.release();
    }

    private void auth(Pending p, Request r) {
        if (r.argc() < 2 || r.argc() > 3) {
            error(p, "ERR wrong number of arguments for 'auth' command");
        } else if (!access.required()) {
            error(p, "ERR AUTH <password> called without any password configured for the default user. "
                    + "Are you sure your configuration is correct?");
        } else if (checkPassword(r.argc() == 3 ? r.argText(1) : "default", r.arg(r.argc() - 1))) {
            reply(p, Resp.OK.duplicate());
        } else {
            error(p, "WRONGPASS invalid username-password pair or user is disabled.");
        }
    }

    private boolean checkPassword(String user, byte[] password) {
        Access.Role role = access.check(user, password);
        if (role == Access.Role.NONE) {
            // as Redis: a failed AUTH leaves the connection as it was
            return false;
        }
        authenticated = true;
        admin = role == Access.Role.ADMIN;
        return true;
    }

    /** BIUPROXY PASSWORDS hash[@untilMillis],...: proxy-admin replaces the endpoint's passwords. */
    private void biuproxy(Pending p, Request r) {
        if (!admin) {
            error(p, "ERR unknown or unsupported command 'BIUPROXY': the Biu proxy does not run it");
        } else if (r.argc() == 3 && r.argIs(1, "PASSWORDS")) {
            access.replaceClientPasswords(Passwords.parse(r.argText(2)));
            reply(p, Resp.OK.duplicate());
        } else {
            error(p, "ERR BIUPROXY PASSWORDS <hash[@untilMillis],...> is the proxy's only admin command");
        }
    }

    /** HELLO [protover [AUTH user pass] [SETNAME name]]: RESP2 only; RESP3 gets NOPROTO, so clients fall back. */
    private void hello(Pending p, Request r) {
        int i = 1;
        if (r.argc() > 1) {
            long version;
            try {
                version = r.argLong(1);
            } catch (RuntimeException e) {
                error(p, "ERR Protocol version is not an integer or out of range");
                return;
            }
            if (version != 2) {
                error(p, "NOPROTO sorry, this protocol version is not supported");
                return;
            }
            i = 2;
        }
        for (; i < r.argc(); i++) {
            if (r.argIs(i, "AUTH") && i + 2 < r.argc()) {
                if (!checkPassword(r.argText(i + 1), r.arg(i + 2))) {
                    error(p, "WRONGPASS invalid username-password pair or user is disabled.");
                    return;
                }
                i += 2;
            } else if (r.argIs(i, "SETNAME") && i + 1 < r.argc()) {
                name = r.argText(++i);
            } else {
                error(p, "ERR Syntax error in HELLO option '" + printable(r.argText(i)) + "'");
                return;
            }
        }
        if (!authenticated) {
            error(p, "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO "
                    + "<proto> AUTH <user> <pass> option can be used to authenticate the client and select the "
                    + "RESP protocol version at the same time");
            return;
        }
        ByteBuf out = ctx.alloc().buffer(160);
        Resp.writeArrayHeader(out, 14);
        for (String s : new String[] {"server", "redis", "version", "7.0.0", "proto"}) {
            Resp.writeBulk(out, s.getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(":2\r\n".getBytes(StandardCharsets.US_ASCII));
        Resp.writeBulk(out, "id".getBytes(StandardCharsets.US_ASCII));
        out.writeByte(':');
        Resp.writeDecimal(out, clientId());
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        for (String s : new String[] {"mode", "standalone", "role", "master", "modules"}) {
            Resp.writeBulk(out, s.getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("*0\r\n".getBytes(StandardCharsets.US_ASCII));
        reply(p, out);
    }

    private long clientId() {
        return ctx.channel().id().hashCode() & 0x7fffffffL;
    }

    private void client(Pending p, Request r) {
        String sub = r.argc() > 1 ? r.argText(1).toUpperCase(Locale.ROOT) : "";
        switch (sub) {
            case "SETNAME" -> {
                if (r.argc() != 3) {
                    error(p, "ERR wrong number of arguments for 'client|setname' command");
                } else {
                    name = r.argText(2).isEmpty() ? null : r.argText(2);
                    reply(p, Resp.OK.duplicate());
                }
            }
            case "GETNAME" -> reply(p, name == null ? Resp.NULL_BULK.duplicate() : Resp.bulk(ctx.alloc(), name));
            case "ID" -> reply(p, Resp.integer(ctx.alloc(), clientId()));
            case "SETINFO", "NO-EVICT", "NO-TOUCH", "REPLY" -> reply(p, Resp.OK.duplicate());
            case "INFO" -> reply(p, Resp.bulk(ctx.alloc(), "id=" + clientId() + " addr=" + ctx.channel().remoteAddress()
                    + " name=" + (name == null ? "" : name) + " db=0\n"));
            default -> error(p, "ERR the proxy does not support CLIENT " + printable(sub));
        }
    }

    private String info() {
        return "# Server\r\nredis_version:7.0.0\r\nredis_mode:standalone\r\nbiu_proxy:1\r\n\r\n"
                + "# Proxy\r\n" + stats.info() + "\r\n"
                + "# Cluster\r\ncluster_masters:" + dispatcher.table().masters().size() + "\r\n"
                + "cluster_slots_unserved:" + dispatcher.table().uncovered() + "\r\n"
                + "slot_table_version:" + dispatcher.table().version() + "\r\n";
    }

    /** {@code s} cut short and with control characters replaced, to quote in an error. */
    static String printable(String s) {
        String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return cut.replaceAll("[\\p{Cntrl}]", "?");
    }
}
