package io.biu.proxy.server;

import io.biu.proxy.cluster.Address;
import io.biu.proxy.cluster.Members;
import io.biu.proxy.cluster.Refresher;
import io.biu.proxy.cluster.SlotTable;
import io.biu.proxy.resp.Resp;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Sends parts to the master that serves them and deals with what comes back: a reply goes to its client; a
 * redirection (MOVED, ASK) sends the part again where it points; a cluster that is failing over or moving
 * the part's keys (CLUSTERDOWN, TRYAGAIN, LOADING, a master that cannot be reached) is waited out, retrying
 * with backoff until the retry window closes, so that clients see a slower reply rather than an error.
 *
 * <p>A write whose connection broke after it was sent is not sent again: it may have run. Its client gets
 * an error that says so ({@code INDOUBT}). A read is sent again.
 *
 * <p>Every part sent has a reply deadline ({@link ProxyConfig#replyDeadline()}, kept by each loop's
 * {@link BackendWatch}): a master that leaves a part unanswered that long, or that the slot table no longer names
 * while it has parts in flight, has its connection closed, and its parts are resolved as above. A read it left
 * unanswered is sent again only to another master, once the slot table names one, with a retry window counted
 * from then. So when a master falls silent, its clients' commands are answered, or get an error, at the latest a
 * reply deadline and two retry windows after they arrived (and always in bounded time: a part gets such a fresh
 * window once only), and the commands behind them are answered in turn.
 */
final class Dispatcher {

    private static final int MAX_REDIRECTS = 5;

    private final SlotTable table;
    private final Members members;
    private final Refresher refresher;
    private final ProxyConfig config;
    private final Stats stats;
    private final Class<? extends Channel> channelClass;
    private final FastThreadLocal<LoopState> loops = new FastThreadLocal<>();
    private final long retryWindowNanos;
    private final long replyDeadlineNanos;

    Dispatcher(SlotTable table, Members members, Refresher refresher, ProxyConfig config, Stats stats,
            Class<? extends Channel> channelClass) {
        this.table = table;
        this.members = members;
        this.refresher = refresher;
        this.config = config;
        this.stats = stats;
        this.channelClass = channelClass;
        this.retryWindowNanos = config.retryWindow().toNanos();
        this.replyDeadlineNanos = config.replyDeadline().toNanos();
    }

    String backendPassword() {
        return config.backendPassword();
    }

    Members members() {
        return members;
    }

    /** Refreshes the slot table soon: the cluster's instances changed. */
    void membersChanged() {
        refresher.request();
    }

    SlotTable table() {
        return table;
    }

    /** The state of the calling event loop, made on first use, with its {@link BackendWatch} started. */
    LoopState loop(io.netty.channel.EventLoop eventLoop) {
        LoopState state = loops.get();
        if (state == null) {
            state = new LoopState(eventLoop);
            loops.set(state);
            long period = BackendWatch.periodMillis(replyDeadlineNanos);
            eventLoop.scheduleWithFixedDelay(new BackendWatch(state, table, replyDeadlineNanos), period, period,
                    TimeUnit.MILLISECONDS);
        }
        return state;
    }

    /**
     * Sends a new part (its deadline counts from its command's arrival, a moment ago), unless earlier parts of its
     * client have not reached the cluster yet: then it goes after them ({@link SendOrder}).
     */
    void send(Part part, LoopState loop) {
        part.deadlineNanos = part.owner.startedNanos + retryWindowNanos;
        if (part.owner.client.order.admit(part)) {
            route(part, loop);
        }
    }

    /** Sends a client's parked parts in its order, until one of them has to wait again. */
    void drain(SendOrder order, LoopState loop) {
        Part part;
        while ((part = order.next()) != null) {
            route(part, loop);
        }
    }

    private void route(Part part, LoopState loop) {
        Address target = part.ask != null ? part.ask : part.moved != null ? part.moved : part.fixed;
        long tableVersion = table.version();
        if (target != null && part.fixed == null) {
            tableVersion = -1; // a redirection's target, not the table's: held like a part routed with another table
        }
        if (target == null) {
            target = part.slot < 0 ? anyMaster() : table.master(part.slot);
            if (!table.unchangedSince(tableVersion)) {
                tableVersion = -1; // read while the table changed: held like a part routed with another table
            }
        }
        if (target == null) {
            retryLater(part, loop, "no master serves slot " + part.slot + " yet");
            return;
        }
        if (!members.allows(target, "a command for slot " + part.slot)) {
            // the slot table may be out of date, or redis-ctl's list: either is put right soon
            refresher.request();
            retryLater(part, loop, "slot " + part.slot + " is said to be served by " + target
                    + ", which is not one of the cluster's instances");
            return;
        }
        if (part.unanswered != null && part.unanswered.equals(target)) {
            retryLater(part, loop, target + " left the command unanswered and still serves "
                    + (part.slot < 0 ? "it" : "slot " + part.slot));
            return;
        }
        if (part.dedicatedTo != null) {
            // a blocking command may wait for long at its master: the client's later commands do not wait for it
            part.dedicatedTo.to(target, this, loop).write(part);
            return;
        }
        SendOrder order = part.order();
        if (!part.inFlight && !order.mayGo(part, tableVersion)) {
            return; // held until the client's parts routed with an older table settle (see SendOrder)
        }
        BackendConnection c = connection(target, loop);
        order.sent(part);
        c.write(part);
    }

    private Address anyMaster() {
        var masters = table.masters();
        return masters.isEmpty() ? null : masters.get((int) (System.nanoTime() & 0x7fffffff) % masters.size());
    }

    /** How long a backend may leave a command unanswered ({@link ProxyConfig#replyDeadline()}). */
    long replyDeadlineNanos() {
        return replyDeadlineNanos;
    }

    BackendConnection connection(Address target, LoopState loop) {
        BackendConnection c = loop.backend(target);
        if (c == null || c.closed()) {
            c = new BackendConnection(target, this, loop, replyDeadlineNanos);
            loop.put(c);
            connect(c);
        }
        return c;
    }

    void connect(BackendConnection c) {
        c.connect(c.loop.eventLoop, channelClass, (int) config.connectTimeout().toMillis());
    }

    /** A backend's reply to {@code part} (ownership passes on). */
    void replied(Part part, ByteBuf reply, BackendConnection from) {
        if (part.redirection != null) {
            // a transaction whose commands were redirected: EXEC was refused, send the whole transaction again
            reply.release();
            String redirection = part.redirection;
            part.redirection = null;
            redirect(part, redirection, from);
            return;
        }
        if (reply.getByte(reply.readerIndex()) == '-') {
            String error = reply.toString(reply.readerIndex(), Math.min(reply.readableBytes(), 128),
                    StandardCharsets.UTF_8);
            if (error.startsWith("-MOVED ") || error.startsWith("-ASK ")) {
                reply.release();
                redirect(part, error.substring(1).trim(), from);
                return;
            }
            if (error.startsWith("-TRYAGAIN") || error.startsWith("-CLUSTERDOWN") || error.startsWith("-LOADING")
                    || error.startsWith("-MASTERDOWN")) {
                if (System.nanoTime() < part.deadlineNanos) {
                    reply.release();
                    refresher.request();
                    retryLater(part, from.loop, error.substring(1).trim());
                    return;
                }
            }
            stats.error();
        }
        part.deliver(reply);
    }

    private void redirect(Part part, String redirection, BackendConnection from) {
        // "MOVED 3999 10.0.0.3:6379" or "ASK 3999 10.0.0.3:6379"
        String[] words = redirection.split(" ");
        if (words.length < 3) {
            fail(part, "ERR proxy: a redirection the proxy cannot follow for slot " + part.slot + ": " + redirection);
            return;
        }
        // an empty host ("MOVED 3999 :6380") means the node that answered
        Address to = words[2].startsWith(":") ? new Address(from.address.host(),
                Integer.parseInt(words[2].substring(1))) : Address.parse(words[2]);
        if (!members.allows(to, from.address + "'s " + words[0])) {
            // waited out as a slot in motion is: redis-ctl's list may be about to name it, or the cluster to change
            refresher.request();
            retryLater(part, from.loop, words[0] + " to " + to + ", which is not one of the cluster's instances");
            return;
        }
        if (++part.redirects > MAX_REDIRECTS) {
            fail(part, "ERR proxy: too many redirections for slot " + part.slot + " (last: " + redirection + ")");
            return;
        }
        if (words[0].equals("MOVED")) {
            stats.moved();
            table.moved(Integer.parseInt(words[1]), to);
            refresher.request();
            part.moved = part.fixed == null ? null : to;
        } else {
            stats.ask();
            part.ask = to;
        }
        SendOrder order = part.order();
        if (part.dedicatedTo != null || order.redirected(part)) {
            route(part, from.loop);
        } else {
            drain(order, from.loop);
        }
    }

    /** {@code part} could not be sent ({@code why}): try again while the window is open. */
    void unsent(Part part, String why) {
        part.order().doneWaiting(part);
        refresher.request();
        retryLater(part, loops.get(), why);
    }

    /**
     * {@code part}'s connection {@code from} closed after it was sent ({@code why}): a write may have run, so it is
     * not sent again, and its client is told the outcome is unknown; a read goes again. If the connection was
     * closed because its master left the part {@code unanswered} (past the reply deadline, or past the grace of a
     * master the slot table no longer names), the read goes only to another master, once the table names one, and
     * once only: it gets a retry window from now, since its own may have closed while it waited.
     */
    void lost(Part part, String why, BackendConnection from, boolean unanswered) {
        refresher.request();
        if (part.resendable) {
            // a read changed nothing: it may simply go again
            if (unanswered && part.unanswered == null) {
                part.unanswered = from.address;
                part.deadlineNanos = Math.max(part.deadlineNanos, from.loop.now() + retryWindowNanos);
            }
            retryLater(part, from.loop, why);
            return;
        }
        fail(part, "INDOUBT " + why + " after the command was sent; it may or may not have run");
    }

    /** A connection is being closed because its master did not answer in time. */
    void unanswered() {
        stats.unanswered();
    }

    void connectionClosed(BackendConnection c) {
        LoopState loop = loops.get();
        if (loop != null) {
            loop.remove(c);
        }
    }

    private void retryLater(Part part, LoopState loop, String why) {
        long now = System.nanoTime();
        long delayMillis = Math.min(200, 10L << Math.min(part.attempts, 5));
        part.attempts++;
        part.moved = null;
        SendOrder order = part.order();
        boolean releasesHeld = order.settled(part);
        if (now + TimeUnit.MILLISECONDS.toNanos(delayMillis) > part.deadlineNanos) {
            fail(part, (why.startsWith("CLUSTERDOWN") || why.startsWith("TRYAGAIN") ? "" : "CLUSTERDOWN ")
                    + why + " (the proxy retried for " + config.retryWindow().toMillis() + " ms)");
            if (releasesHeld) {
                drain(order, loop);
            }
            return;
        }
        stats.retry();
        // parked with the client's other parts, and sent again in the client's order, not on a timer of its own
        if (order.retry(part)) {
            loop.eventLoop.schedule(() -> {
                loop.tick();
                order.retryDue();
                drain(order, loop);
            }, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void fail(Part part, String message) {
        stats.error();
        part.deliver(Resp.error(ByteBufAllocator.DEFAULT, message));
    }
}
