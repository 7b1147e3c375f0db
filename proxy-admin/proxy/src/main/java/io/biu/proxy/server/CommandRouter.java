package io.biu.proxy.server;

import io.biu.proxy.cluster.Address;
import io.biu.proxy.resp.Request;
import io.biu.proxy.resp.Resp;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where a client's commands go in the cluster, and in how many parts. A command whose keys share a slot goes
 * whole to that slot's master, as the client sent it; MGET, MSET and the counting commands (DEL, EXISTS...) over
 * several slots become a command per slot, whose replies are merged into one ({@link Merges}); a few commands go
 * to every master (KEYS, DBSIZE, FLUSHALL, SCRIPT) or to any (TIME, COMMAND, RANDOMKEY); SCAN walks the masters
 * one after the other, its cursor naming the master; commands that may block go on connections of the client's
 * own ({@link DedicatedConnections}), which it owns.
 *
 * <p>Invariants: each command handed here either becomes parts, sent through the {@link Dispatcher}, or gets an
 * error, never both; the client's request is released once its parts are made (a part sent as the request's own
 * bytes takes over its reference), and each part owns one reference to its bytes. A command that names keys of
 * several slots and cannot be split is refused with CROSSSLOT before anything is sent.
 */
final class CommandRouter {

    /** SCAN cursors carry the index of the master being scanned in their low part. */
    static final long SCAN_MASTERS = 1024;

    private final ClientSession session;
    private final Dispatcher dispatcher;
    private final DedicatedConnections dedicated = new DedicatedConnections();

    CommandRouter(ClientSession session, Dispatcher dispatcher) {
        this.session = session;
        this.dispatcher = dispatcher;
    }

    /** Whether a command with a {@link Commands.Route#KEYED} route may block: XREAD and XREADGROUP with BLOCK. */
    static boolean blocks(Request r, String command) {
        return command.equals("XREAD") ? blocks(r, 1) : command.equals("XREADGROUP") && blocks(r, 4);
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

    /**
     * How long a blocking command asks to wait at its master: BLPOP's and its family's timeout (seconds, last, or
     * first for BLMPOP and BZMPOP), XREAD's and XREADGROUP's BLOCK (milliseconds); {@link Long#MAX_VALUE} for 0,
     * which waits without end. A timeout that does not parse is 0: the master refuses the command at once.
     */
    static long blockNanos(Request r, String command) {
        try {
            if (command.equals("XREAD") || command.equals("XREADGROUP")) {
                for (int i = 1; i + 1 < r.argc(); i++) {
                    if (r.argIs(i, "BLOCK")) {
                        long millis = Long.parseLong(r.argText(i + 1));
                        return millis == 0 ? Long.MAX_VALUE : Math.max(0, TimeUnit.MILLISECONDS.toNanos(millis));
                    }
                }
                return 0;
            }
            int at = command.equals("BLMPOP") || command.equals("BZMPOP") ? 1 : r.argc() - 1;
            double seconds = at < 1 ? 0 : Double.parseDouble(r.argText(at));
            return seconds == 0 ? Long.MAX_VALUE : (long) Math.max(0, Math.min(Long.MAX_VALUE / 2, seconds * 1e9));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The one slot of the command's keys; -1 without keys; throws if they span slots. */
    static int slotOf(Request r, Commands.Spec spec) {
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

    /** A command whose keys must share a slot, to that slot's master (on the client's own connection if it blocks). */
    void keyed(Pending p, Request r, Commands.Spec spec, boolean blocking) {
        int slot;
        try {
            slot = slotOf(r, spec);
        } catch (CrossSlot e) {
            r.release();
            session.error(p, e.getMessage());
            return;
        }
        Part part = new Part(p, -1, r.raw(), slot, null, 1, blocking ? dedicated : null).resendable(!spec.write());
        if (blocking) {
            part.blockNanos = blockNanos(r, spec.name());
        }
        dispatcher.send(part, session.loop());
    }

    /** MGET, MSET, DEL and friends over keys of several slots: a command per slot, replies merged. */
    void split(Pending p, Request r, Commands.Spec spec) {
        int[] keys = spec.keys().of(r);
        int step = spec.route() == Commands.Route.MSET ? 2 : 1;
        if (step == 2 && r.argc() % 2 == 0) {
            r.release();
            session.error(p, "ERR wrong number of arguments for '" + spec.name().toLowerCase(Locale.ROOT)
                    + "' command");
            return;
        }
        Map<Integer, List<Integer>> bySlot = new LinkedHashMap<>();
        for (int i = 0; i < keys.length; i++) {
            bySlot.computeIfAbsent(r.slot(keys[i]), s -> new ArrayList<>(4)).add(i);
        }
        LoopState loop = session.loop();
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
            ByteBuf sub = session.alloc().buffer(32 + ordinals.size() * 32);
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
    void everyMaster(Pending p, Request r, Pending.Merge merge, boolean readOnly) {
        List<Address> masters = dispatcher.table().masters();
        if (masters.isEmpty()) {
            r.release();
            session.error(p, "CLUSTERDOWN the proxy knows no master of the cluster yet");
            return;
        }
        p.split(masters.size(), merge);
        List<Part> parts = new ArrayList<>(masters.size());
        for (int i = 0; i < masters.size(); i++) {
            parts.add(new Part(p, i, r.raw().retainedDuplicate(), -1, masters.get(i), 1, null).resendable(readOnly));
        }
        r.release();
        LoopState loop = session.loop();
        parts.forEach(x -> dispatcher.send(x, loop));
    }

    /** Sends the command to a master, any. */
    void anyMaster(Pending p, Request r) {
        dispatcher.send(new Part(p, -1, r.raw(), -1, null, 1, null).resendable(true), session.loop());
    }

    /** SCAN cursor [MATCH pattern] [COUNT n] [TYPE t], master by master. */
    void scan(Pending p, Request r) {
        List<Address> masters = dispatcher.table().masters();
        if (r.argc() < 2) {
            r.release();
            session.error(p, "ERR wrong number of arguments for 'scan' command");
            return;
        }
        long cursor;
        try {
            cursor = Long.parseUnsignedLong(r.argText(1));
        } catch (NumberFormatException e) {
            r.release();
            session.error(p, "ERR invalid cursor");
            return;
        }
        int master = (int) Long.remainderUnsigned(cursor, SCAN_MASTERS);
        long backend = Long.divideUnsigned(cursor, SCAN_MASTERS);
        if (master >= masters.size()) {
            r.release();
            p.complete(session.alloc().buffer(16)
                    .writeBytes("*2\r\n$1\r\n0\r\n*0\r\n".getBytes(StandardCharsets.US_ASCII)));
            return;
        }
        ByteBuf sub = session.alloc().buffer(64 + r.raw().readableBytes());
        Resp.writeArrayHeader(sub, r.argc());
        r.writeArg(sub, 0);
        Resp.writeBulk(sub, Long.toUnsignedString(backend).getBytes(StandardCharsets.US_ASCII));
        for (int i = 2; i < r.argc(); i++) {
            r.writeArg(sub, i);
        }
        r.release();
        p.split(1, Merges.scan(master, masters.size()));
        dispatcher.send(new Part(p, 0, sub, -1, masters.get(master), 1, null).resendable(true), session.loop());
    }

    /** The client is gone: its own connections close. */
    void close() {
        dedicated.close();
    }

    /** Keys of one command in several slots. */
    static final class CrossSlot extends RuntimeException {
        CrossSlot(String command) {
            super("CROSSSLOT Keys in request don't hash to the same slot (the proxy runs " + command
                    + " on one node, so its keys need one slot: give them a common hash tag)", null, false, false);
        }
    }
}
