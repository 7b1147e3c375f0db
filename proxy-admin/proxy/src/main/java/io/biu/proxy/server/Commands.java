package io.biu.proxy.server;

import io.biu.proxy.resp.Request;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What the proxy knows of each command: how it is routed and where its keys are. A command not listed here
 * is refused with an error naming it: forwarding a command whose keys the proxy cannot see could run it on
 * a node that does not hold them.
 */
final class Commands {

    /** How a command reaches the cluster. */
    enum Route {
        /** To the master of its keys' slot (all keys must share one), or any master if it has none. */
        KEYED,
        /** Keys in any slots: split per slot, replies merged (MGET, MSET, and the counting DEL family). */
        MGET, MSET, SUM,
        /** Keyed, and may block: a connection of its own, so it holds no other client up. */
        BLOCKING,
        /** Answered or orchestrated by the proxy itself. */
        PROXY
    }

    /** Where a command's keys are. */
    interface Keys {
        /** Indexes of the key arguments (empty if it has none, or too few arguments to tell). */
        int[] of(Request r);
    }

    record Spec(String name, Route route, Keys keys, boolean write) {
    }

    private static final int[] NONE = new int[0];
    private static final Keys NO_KEYS = r -> NONE;
    private static final Map<String, Spec> SPECS = new HashMap<>();
    /** {@link #SPECS} again, found from a request's bytes: see {@link #of(Request)}. */
    private static final Spec[] BY_BYTES;

    static {
        // one key, the first argument
        keyed(range(1, 1, 1), false, "get getrange strlen substr type ttl pttl expiretime pexpiretime dump",
                "hget hmget hgetall hkeys hvals hlen hexists hstrlen hrandfield hscan",
                "lindex llen lrange lpos scard sismember smembers smismember srandmember sscan",
                "zcard zcount zlexcount zrange zrangebylex zrangebyscore zrank zrevrange zrevrangebylex",
                "zrevrangebyscore zrevrank zscore zmscore zrandmember zscan",
                "getbit bitcount bitpos bitfield_ro geodist geohash geopos georadius_ro",
                "georadiusbymember_ro geosearch xlen xrange xrevrange xpending sort_ro");
        keyed(range(1, 1, 1), true, "set setnx setex psetex getset getdel getex append incr decr incrby decrby",
                "incrbyfloat setrange expire pexpire expireat pexpireat persist",
                "hset hsetnx hmset hdel hincrby hincrbyfloat lpush lpushx rpush rpushx lpop rpop linsert lset",
                "lrem ltrim sadd srem spop zadd zincrby zrem zremrangebylex zremrangebyrank zremrangebyscore",
                "zpopmin zpopmax setbit bitfield pfadd geoadd georadius georadiusbymember xadd xdel xtrim xack",
                "xclaim xautoclaim xsetid sort restore");
        // several keys that must share a slot
        keyed(range(1, -1, 1), false, "sinter sunion sdiff pfcount");
        keyed(range(1, -1, 1), true, "sinterstore sunionstore sdiffstore pfmerge");
        keyed(range(1, -1, 2), true, "msetnx");
        keyed(range(1, 2, 1), true, "rename renamenx smove rpoplpush lmove copy");
        keyed(range(1, 2, 1), false, "lcs");
        keyed(range(2, -1, 1), true, "bitop");
        keyed(range(1, 2, 1), true, "geosearchstore zrangestore");
        keyed(numkeys(2, 3), true, "eval evalsha fcall");
        keyed(numkeys(2, 3), false, "eval_ro evalsha_ro fcall_ro");
        keyed(numkeys(1, 2), false, "zunion zinter zdiff sintercard zintercard");
        keyed(numkeys(1, 2), true, "lmpop zmpop");
        keyed(destAndNumkeys(), true, "zunionstore zinterstore zdiffstore");
        keyed(range(2, 2, 1), false, "object");
        keyed(streams(1), false, "xread");
        // XREADGROUP GROUP group consumer ...: a group or consumer may be named "streams"
        keyed(streams(4), true, "xreadgroup");
        keyed(range(2, 2, 1), true, "xgroup");
        keyed(range(2, 2, 1), false, "xinfo");
        put("memory", Route.KEYED, range(2, 2, 1), false);
        // split and merged
        put("mget", Route.MGET, range(1, -1, 1), false);
        put("mset", Route.MSET, range(1, -1, 2), true);
        for (String n : new String[] {"del", "unlink", "touch"}) {
            put(n, Route.SUM, range(1, -1, 1), true);
        }
        put("exists", Route.SUM, range(1, -1, 1), false);
        // blocking
        for (String n : new String[] {"blpop", "brpop", "bzpopmin", "bzpopmax"}) {
            put(n, Route.BLOCKING, range(1, -2, 1), true);
        }
        put("brpoplpush", Route.BLOCKING, range(1, 2, 1), true);
        put("blmove", Route.BLOCKING, range(1, 2, 1), true);
        put("blmpop", Route.BLOCKING, numkeys(2, 3), true);
        put("bzmpop", Route.BLOCKING, numkeys(2, 3), true);
        // the proxy's own
        for (String n : ("ping echo auth hello select quit client info command dbsize keys scan randomkey flushall "
                + "flushdb script multi exec discard watch unwatch time readonly readwrite reset biuproxy").split(" ")) {
            put(n, Route.PROXY, NO_KEYS, false);
        }
        BY_BYTES = byBytes();
    }

    private Commands() {
    }

    /** The command's spec, or {@code null} if the proxy does not support it. */
    static Spec of(String upperName) {
        return SPECS.get(upperName);
    }

    /** Every command the proxy supports. */
    static Collection<Spec> all() {
        return Collections.unmodifiableCollection(SPECS.values());
    }

    /**
     * The spec of the command {@code r} names, in any case, or {@code null} if the proxy does not support it:
     * the same as {@code of(r.name())}, without making the name a string (this runs for every command).
     */
    static Spec of(Request r) {
        int mask = BY_BYTES.length - 1;
        for (int i = r.argHashIgnoringCase(0) & mask; BY_BYTES[i] != null; i = (i + 1) & mask) {
            if (r.argIs(0, BY_BYTES[i].name())) {
                return BY_BYTES[i];
            }
        }
        return null;
    }

    /** An open-addressing table of the specs by {@link Request#hashIgnoringCase} of their names, at most half full. */
    private static Spec[] byBytes() {
        Spec[] table = new Spec[Integer.highestOneBit(SPECS.size()) << 2];
        for (Spec spec : SPECS.values()) {
            int i = Request.hashIgnoringCase(spec.name()) & (table.length - 1);
            while (table[i] != null) {
                i = (i + 1) & (table.length - 1);
            }
            table[i] = spec;
        }
        return table;
    }

    private static void keyed(Keys keys, boolean write, String... names) {
        for (String line : names) {
            for (String n : line.split(" ")) {
                put(n, Route.KEYED, keys, write);
            }
        }
    }

    private static void put(String name, Route route, Keys keys, boolean write) {
        String upper = name.toUpperCase(Locale.ROOT);
        if (SPECS.containsKey(upper)) {
            throw new IllegalStateException(upper + " is listed twice");
        }
        SPECS.put(upper, new Spec(upper, route, keys, write));
    }

    /**
     * Arguments {@code first} to {@code last} (negative: counted from the end, -1 the last) every {@code step}.
     * A command long enough for a fixed range gets one shared array (callers only read the indexes).
     */
    static Keys range(int first, int last, int step) {
        int[] whole = last < first ? null : indexes(first, last, step);
        return r -> {
            int end = last < 0 ? r.argc() + last : Math.min(last, r.argc() - 1);
            if (end < first) {
                return NONE;
            }
            if (end == last) {
                return whole;
            }
            return indexes(first, end, step);
        };
    }

    private static int[] indexes(int first, int end, int step) {
        int[] keys = new int[(end - first) / step + 1];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = first + i * step;
        }
        return keys;
    }

    /** A count of keys at argument {@code at}, the keys from argument {@code from}. */
    static Keys numkeys(int at, int from) {
        return r -> {
            if (r.argc() <= at) {
                return NONE;
            }
            long n;
            try {
                n = r.argLong(at);
            } catch (RuntimeException e) {
                return NONE;
            }
            if (n <= 0 || n > r.argc() - from) {
                return NONE;
            }
            int[] keys = new int[(int) n];
            for (int i = 0; i < n; i++) {
                keys[i] = from + i;
            }
            return keys;
        };
    }

    /** ZUNIONSTORE and friends: a destination, then a count of keys and the keys. */
    static Keys destAndNumkeys() {
        Keys sources = numkeys(2, 3);
        return r -> {
            int[] rest = sources.of(r);
            if (r.argc() < 2) {
                return NONE;
            }
            int[] keys = new int[rest.length + 1];
            keys[0] = 1;
            System.arraycopy(rest, 0, keys, 1, rest.length);
            return keys;
        };
    }

    /** XREAD and XREADGROUP: the first half of the arguments after STREAMS, looked for from {@code from}. */
    static Keys streams(int from) {
        return r -> {
            for (int i = from; i < r.argc(); i++) {
                if (r.argIs(i, "STREAMS")) {
                    int n = (r.argc() - i - 1) / 2;
                    int[] keys = new int[n];
                    for (int k = 0; k < n; k++) {
                        keys[k] = i + 1 + k;
                    }
                    return keys;
                }
            }
            return NONE;
        };
    }
}
