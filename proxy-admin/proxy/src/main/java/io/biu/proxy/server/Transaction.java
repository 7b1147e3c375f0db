package io.biu.proxy.server;

import io.biu.proxy.resp.Request;
import io.biu.proxy.resp.Resp;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A client's transaction through the proxy. From MULTI on, the client's commands are queued here instead of sent;
 * EXEC sends them as MULTI ... EXEC in one write to the master of their slot, so that they run together on one
 * node, and the client gets EXEC's reply. A proxy cannot keep a WATCH on connections that clients share, so there
 * is none.
 *
 * <p>It owns the queued commands (a reference to each request, released when EXEC has copied them, or on
 * DISCARD, RESET, an aborted EXEC, or the client's going: {@link #clear}) and whether the transaction failed.
 *
 * <p>Invariants: {@link #open()} from a MULTI answered OK until EXEC, DISCARD or RESET; every queued command with
 * keys hashes to one slot ({@code -1} while none had keys); a command that cannot be queued (one the proxy does
 * not run, one of its own, keys in several slots) is answered with an error and fails the transaction, which
 * EXEC then aborts, as Redis does with a command refused while queuing.
 */
final class Transaction {

    private final ClientSession session;
    private final Dispatcher dispatcher;
    /** Commands queued since MULTI; {@code null} outside a transaction. */
    private List<Request> queued;
    private int slot = -1;
    private boolean failed;

    Transaction(ClientSession session, Dispatcher dispatcher) {
        this.session = session;
        this.dispatcher = dispatcher;
    }

    /** Whether MULTI started a transaction that has not ended. */
    boolean open() {
        return queued != null;
    }

    /** Whether {@code command} runs at once inside a transaction, rather than being queued. */
    static boolean runsAtOnce(String command) {
        return command.equals("EXEC") || command.equals("DISCARD") || command.equals("MULTI")
                || command.equals("WATCH") || command.equals("QUIT") || command.equals("RESET");
    }

    void multi(Pending p) {
        if (queued != null) {
            session.error(p, "ERR MULTI calls can not be nested");
            return;
        }
        queued = new ArrayList<>();
        slot = -1;
        failed = false;
        p.complete(Resp.OK.duplicate());
    }

    /** Queues {@code r} (whose reference passes here) until EXEC, or refuses it and fails the transaction. */
    void queue(Pending p, Request r) {
        Commands.Spec spec = Commands.of(r);
        if (spec == null || spec.route() == Commands.Route.PROXY) {
            failed = true;
            session.error(p, "ERR the proxy cannot run '" + ClientSession.printable(r.argText(0))
                    + "' in a transaction");
            r.release();
            return;
        }
        int commandSlot;
        try {
            commandSlot = CommandRouter.slotOf(r, spec);
        } catch (CommandRouter.CrossSlot e) {
            failed = true;
            session.error(p, e.getMessage());
            r.release();
            return;
        }
        if (commandSlot >= 0 && slot >= 0 && commandSlot != slot) {
            failed = true;
            session.error(p, "CROSSSLOT Keys in request don't hash to the same slot (a transaction through the proxy "
                    + "runs on one node: give its keys a common hash tag)");
            r.release();
            return;
        }
        if (commandSlot >= 0) {
            slot = commandSlot;
        }
        queued.add(r);
        p.complete(Resp.QUEUED.duplicate());
    }

    /** Sends the queued commands as MULTI ... EXEC to the master of their slot; EXEC's reply is {@code p}'s. */
    void exec(Pending p) {
        if (queued == null) {
            session.error(p, "ERR EXEC without MULTI");
            return;
        }
        if (failed) {
            clear();
            session.error(p, "EXECABORT Transaction discarded because of previous errors.");
            return;
        }
        int bytes = 32;
        for (Request q : queued) {
            bytes += q.raw().readableBytes();
        }
        ByteBuf all = session.alloc().buffer(bytes);
        all.writeBytes("*1\r\n$5\r\nMULTI\r\n".getBytes(StandardCharsets.US_ASCII));
        for (Request q : queued) {
            all.writeBytes(q.raw(), q.raw().readerIndex(), q.raw().readableBytes());
        }
        all.writeBytes("*1\r\n$4\r\nEXEC\r\n".getBytes(StandardCharsets.US_ASCII));
        int commands = queued.size();
        int execSlot = slot;
        clear();
        dispatcher.send(new Part(p, -1, all, execSlot, null, commands + 2, null), session.loop());
    }

    /** DISCARD: ends the transaction, its commands unsent. */
    void discard(Pending p) {
        if (queued == null) {
            session.error(p, "ERR DISCARD without MULTI");
        } else {
            clear();
            p.complete(Resp.OK.duplicate());
        }
    }

    /** Ends the transaction, if one is open, and frees its queued commands. */
    void clear() {
        if (queued != null) {
            queued.forEach(Request::release);
            queued = null;
        }
    }
}
