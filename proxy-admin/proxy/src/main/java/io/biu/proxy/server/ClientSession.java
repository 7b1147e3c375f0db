package io.biu.proxy.server;

import io.biu.proxy.cluster.Address;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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

    /** SCAN cursors carry the index of the master being scanned in their low part. */
    static final long SCAN_MASTERS = 1024;

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
    /** Commands queued since MULTI; {@code null} outside a transaction. */
    private List<Request> transaction;
    private int transactionSlot = -1;
    private boolean transactionFailed;
    /** Connections of this client's own, for commands that block. */
    private Map<Address, BackendConnection> dedicated;
    /** This client's replies, in order, and the pace at which it is read. */
    final ReplyQueue replies;
    /** The order in which this client's parts reach the cluster. */
    final SendOrder order = new SendOrder();
    private final Runnable parseLater = this::parseAvailable;

    ClientSession(Dispatcher dispatcher, ProxyConfig config, Stats stats, Access access) {
        this.dispatcher = dispatcher;
        this.config = config;
        this.stats = stats;
        this.access = access;
        this.parser = new RequestParser(config.maxRequestBytes(), 1024 * 1024);
        this.replies = new ReplyQueue(config, stats, this::readingResumed);
    }

    ByteBufAllocator alloc() {
        return ctx.alloc();
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
        discardTransaction();
        order.discard();
        if (dedicated != null) {
            dedicated.values().forEach(BackendConnection::close);
        }
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

    private void error(Pending p, String message) {
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
        if (transaction != null && !command.equals("EXEC") && !command.equals("DISCARD") && !command.equals("MULTI")
                && !command.equals("WATCH") && !command.equals("QUIT") && !command.equals("RESET")) {
            queueInTransaction(p, r);
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
            case KEYED -> keyed(p, r, spec, command.equals("XREAD") ? blocks(r, 1)
                    : command.equals("XREADGROUP") && blocks(r, 4));
            case BLOCKING -> keyed(p, r, spec, true);
            case MGET, MSET, SUM -> split(p, r, spec);
        }
    }

    /** XREAD's and XREADGROUP's options from {@code from} (past GROUP group consumer) say BLOCK. */
    private static boolean blocks(Request r, int from) {
        for (int i = from; i < r.argc(); i++) {
            if (r.argIs(i, "BLOCK")) {
                return true;
            }
            if (r.argIs(i, "STREAMS")) {
                return false;
            }
        }
        return false;
    }

    /** The one slot of the command's keys; -1 without keys; throws if they span slots. */
    private static int slotOf(Request r, Commands.Spec spec) {
        int slot = -1;
        for (int k : spec.keys().of(r)) {
            int s = r.slot(k);
            if (slot >= 0 && s != slot) {
                throw new CrossSlot(spec.name());
            }
            slot = s;
        }
        return slot;
    }

    private void keyed(Pending p, Request r, Commands.Spec spec, boolean blocking) {
        int slot;
        try {
            slot = slotOf(r, spec);
        } catch (CrossSlot e) {
            r.release();
            error(p, e.getMessage());
            return;
        }
        dispatcher.send(new Part(p, -1, r.raw(), slot, null, 1, blocking ? this : null).resendable(!spec.write()),
                loop);
    }

    /** MGET, MSET, DEL and friends over keys of several slots: a command per slot, replies merged. */
    private void split(Pending p, Request r, Commands.Spec spec) {
        int[] keys = spec.keys().of(r);
        int step = spec.route() == Commands.Route.MSET ? 2 : 1;
        if (step == 2 && r.argc() % 2 == 0) {
            r.release();
            error(p, "ERR wrong number of arguments for '" + spec.name().toLowerCase(Locale.ROOT)
                    + "' command");
            return;
        }
        Map<Integer, List<Integer>> bySlot = new LinkedHashMap<>();
        for (int i = 0; i < keys.length; i++) {
            bySlot.computeIfAbsent(r.slot(keys[i]), s -> new ArrayList<>(4)).add(i);
        }
        if (bySlot.size() <= 1) {
            int slot = bySlot.isEmpty() ? -1 : bySlot.keySet().iterator().next();
            dispatcher.send(new Part(p, -1, r.raw(), slot, null, 1, null).resendable(!spec.write()), loop);
            return;
        }
        int[][] positions = new int[bySlot.size()][];
        int part = 0;
        for (List<Integer> ordinals : bySlot.values()) {
            positions[part++] = ordinals.stream().mapToInt(Integer::intValue).toArray();
        }
        p.split(bySlot.size(), switch (spec.route()) {
            case MGET -> Merges.mget(keys.length, positions);
            case MSET -> Merges.ALL_OK;
            default -> Merges.SUM;
        });
        part = 0;
        List<Part> parts = new ArrayList<>(bySlot.size());
        for (Map.Entry<Integer, List<Integer>> e : bySlot.entrySet()) {
            List<Integer> ordinals = e.getValue();
            ByteBuf sub = ctx.alloc().buffer(32 + ordinals.size() * 32);
            Resp.writeArrayHeader(sub, 1 + (long) ordinals.size() * step);
            r.writeArg(sub, 0);
            for (int ordinal : ordinals) {
                for (int s = 0; s < step; s++) {
                    r.writeArg(sub, keys[ordinal] + s);
                }
            }
            parts.add(new Part(p, part++, sub, e.getKey(), null, 1, null).resendable(!spec.write()));
        }
        r.release();
        parts.forEach(x -> dispatcher.send(x, loop));
    }

    /** Sends the command to every master, merging the replies. */
    private void everyMaster(Pending p, Request r, Pending.Merge merge, boolean readOnly) {
        List<Address> masters = dispatcher.table().masters();
        if (masters.isEmpty()) {
            r.release();
            error(p, "CLUSTERDOWN the proxy knows no master of the cluster yet");
            return;
        }
        p.split(masters.size(), merge);
        List<Part> parts = new ArrayList<>(masters.size());
        for (int i = 0; i < masters.size(); i++) {
            parts.add(new Part(p, i, r.raw().retainedDuplicate(), -1, masters.get(i), 1, null).resendable(readOnly));
        }
        r.release();
        parts.forEach(x -> dispatcher.send(x, loop));
    }

    private void anyMaster(Pending p, Request r) {
        dispatcher.send(new Part(p, -1, r.raw(), -1, null, 1, null).resendable(true), loop);
    }

    BackendConnection dedicated(Address target, Dispatcher d, LoopState loopState) {
        if (dedicated == null) {
            dedicated = new HashMap<>();
        }
        BackendConnection c = dedicated.get(target);
        if (c == null || c.closed()) {
            c = new BackendConnection(target, d, loopState);
            dedicated.put(target, c);
            d.connect(c);
        }
        return c;
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
                    discardTransaction();
                    name = null;
                    authenticated = !access.required();
                    reply(p, Resp.simple(ctx.alloc(), "RESET"));
                }
                case "READONLY", "READWRITE", "UNWATCH" -> reply(p, Resp.OK.duplicate());
                case "CLIENT" -> client(p, r);
                case "INFO" -> reply(p, Resp.bulk(ctx.alloc(), info()));
                case "BIUPROXY" -> biuproxy(p, r);
                case "MULTI" -> multi(p);
                case "EXEC" -> exec(p);
                case "DISCARD" -> {
                    if (transaction == null) {
                        error(p, "ERR DISCARD without MULTI");
                    } else {
                        discardTransaction();
                        reply(p, Resp.OK.duplicate());
                    }
                }
                case "WATCH" -> error(p, "ERR WATCH is not supported by the proxy: its connections to the "
                        + "cluster are shared, so a watch could not be kept; use a transaction or a script");
                case "COMMAND", "TIME", "RANDOMKEY" -> {
                    anyMaster(p, r);
                    return;
                }
                case "KEYS" -> {
                    everyMaster(p, r, Merges.CONCAT, true);
                    return;
                }
                case "DBSIZE" -> {
                    everyMaster(p, r, Merges.SUM, true);
                    return;
                }
                case "FLUSHALL", "FLUSHDB" -> {
                    everyMaster(p, r, Merges.ALL_OK, false);
                    return;
                }
                case "SCRIPT" -> {
                    everyMaster(p, r, Merges.FIRST, false);
                    return;
                }
                case "SCAN" -> {
                    scan(p, r);
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

    /** SCAN cursor [MATCH pattern] [COUNT n] [TYPE t], master by master. */
    private void scan(Pending p, Request r) {
        List<Address> masters = dispatcher.table().masters();
        if (r.argc() < 2) {
            r.release();
            error(p, "ERR wrong number of arguments for 'scan' command");
            return;
        }
        long cursor;
        try {
            cursor = Long.parseUnsignedLong(r.argText(1));
        } catch (NumberFormatException e) {
            r.release();
            error(p, "ERR invalid cursor");
            return;
        }
        int master = (int) Long.remainderUnsigned(cursor, SCAN_MASTERS);
        long backend = Long.divideUnsigned(cursor, SCAN_MASTERS);
        if (master >= masters.size()) {
            r.release();
            reply(p, ctx.alloc().buffer(16).writeBytes("*2\r\n$1\r\n0\r\n*0\r\n".getBytes(StandardCharsets.US_ASCII)));
            return;
        }
        ByteBuf sub = ctx.alloc().buffer(64 + r.raw().readableBytes());
        Resp.writeArrayHeader(sub, r.argc());
        r.writeArg(sub, 0);
        Resp.writeBulk(sub, Long.toUnsignedString(backend).getBytes(StandardCharsets.US_ASCII));
        for (int i = 2; i < r.argc(); i++) {
            r.writeArg(sub, i);
        }
        r.release();
        p.split(1, Merges.scan(master, masters.size()));
        dispatcher.send(new Part(p, 0, sub, -1, masters.get(master), 1, null).resendable(true), loop);
    }

    // ---- transactions: queued here, sent as MULTI ... EXEC in one write to the master of their slot

    private void multi(Pending p) {
        if (transaction != null) {
            error(p, "ERR MULTI calls can not be nested");
            return;
        }
        transaction = new ArrayList<>();
        transactionSlot = -1;
        transactionFailed = false;
        reply(p, Resp.OK.duplicate());
    }

    private void queueInTransaction(Pending p, Request r) {
        Commands.Spec spec = Commands.of(r);
        if (spec == null || spec.route() == Commands.Route.PROXY) {
            transactionFailed = true;
            error(p, "ERR the proxy cannot run '" + printable(r.argText(0)) + "' in a transaction");
            r.release();
            return;
        }
        int slot;
        try {
            slot = slotOf(r, spec);
        } catch (CrossSlot e) {
            transactionFailed = true;
            error(p, e.getMessage());
            r.release();
            return;
        }
        if (slot >= 0 && transactionSlot >= 0 && slot != transactionSlot) {
            transactionFailed = true;
            error(p, "CROSSSLOT Keys in request don't hash to the same slot (a transaction through the proxy runs "
                    + "on one node: give its keys a common hash tag)");
            r.release();
            return;
        }
        if (slot >= 0) {
            transactionSlot = slot;
        }
        transaction.add(r);
        reply(p, Resp.QUEUED.duplicate());
    }

    private void exec(Pending p) {
        if (transaction == null) {
            error(p, "ERR EXEC without MULTI");
            return;
        }
        if (transactionFailed) {
            discardTransaction();
            error(p, "EXECABORT Transaction discarded because of previous errors.");
            return;
        }
        int bytes = 32;
        for (Request q : transaction) {
            bytes += q.raw().readableBytes();
        }
        ByteBuf all = ctx.alloc().buffer(bytes);
        all.writeBytes("*1\r\n$5\r\nMULTI\r\n".getBytes(StandardCharsets.US_ASCII));
        for (Request q : transaction) {
            all.writeBytes(q.raw(), q.raw().readerIndex(), q.raw().readableBytes());
        }
        all.writeBytes("*1\r\n$4\r\nEXEC\r\n".getBytes(StandardCharsets.US_ASCII));
        int commands = transaction.size();
        int slot = transactionSlot;
        discardTransaction();
        dispatcher.send(new Part(p, -1, all, slot, null, commands + 2, null), loop);
    }

    private void discardTransaction() {
        if (transaction != null) {
            transaction.forEach(Request::release);
            transaction = null;
        }
    }

    private static String printable(String s) {
        String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return cut.replaceAll("[\\p{Cntrl}]", "?");
    }

    /** Keys of one command in several slots. */
    private static final class CrossSlot extends RuntimeException {
        CrossSlot(String command) {
            super("CROSSSLOT Keys in request don't hash to the same slot (the proxy runs " + command
                    + " on one node, so its keys need one slot: give them a common hash tag)", null, false, false);
        }
    }
}
