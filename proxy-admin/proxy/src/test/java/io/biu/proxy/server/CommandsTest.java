package io.biu.proxy.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.proxy.resp.Request;
import io.biu.proxy.resp.RequestParser;
import io.biu.proxy.resp.Resp;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class CommandsTest {

    private static final RequestParser PARSER = new RequestParser(1 << 20, 1024);

    /** The indexes of the key arguments of the command {@code words} spell. */
    private static int[] keys(String... words) {
        ByteBuf in = Resp.command(UnpooledByteBufAllocator.DEFAULT, words);
        Request r = PARSER.next(in);
        try {
            Commands.Spec spec = Commands.of(r.name());
            return spec.keys().of(r);
        } finally {
            r.release();
            in.release();
        }
    }

    private static Commands.Route route(String name) {
        return Commands.of(name).route();
    }

    private static void assertKeys(int[] expected, String... words) {
        assertArrayEquals(expected, keys(words), String.join(" ", words));
    }

    private static int[] none() {
        return new int[0];
    }

    @Test
    void oneKeyCommandsHaveTheirKeyFirst() {
        assertKeys(new int[] {1}, "GET", "k");
        assertKeys(new int[] {1}, "SET", "k", "v", "EX", "10");
        assertKeys(new int[] {1}, "HSET", "h", "f", "v", "f2", "v2");
        assertKeys(new int[] {1}, "ZADD", "z", "1", "a");
    }

    @Test
    void aCommandTooShortToNameItsKeyHasNone() {
        assertKeys(none(), "GET");
        assertKeys(none(), "RENAME");
        assertKeys(none(), "BITOP", "AND");
        assertKeys(none(), "BLPOP", "0");
    }

    @Test
    void msetKeysAreEveryOtherArgument() {
        assertKeys(new int[] {1}, "MSET", "a", "1");
        assertKeys(new int[] {1, 3, 5}, "MSET", "a", "1", "b", "2", "c", "3");
        assertKeys(new int[] {1, 3}, "MSETNX", "a", "1", "b", "2");
    }

    @Test
    void mgetAndTheCountingCommandsTakeEveryArgumentAsAKey() {
        assertKeys(new int[] {1, 2, 3}, "MGET", "a", "b", "c");
        assertKeys(new int[] {1, 2}, "DEL", "a", "b");
        assertKeys(new int[] {1, 2}, "EXISTS", "a", "b");
        assertKeys(new int[] {1, 2, 3}, "SINTER", "a", "b", "c");
    }

    @Test
    void renameAndMovesHaveTwoKeys() {
        assertKeys(new int[] {1, 2}, "RENAME", "a", "b");
        assertKeys(new int[] {1, 2}, "LMOVE", "a", "b", "LEFT", "RIGHT");
        assertKeys(new int[] {1, 2}, "COPY", "a", "b", "REPLACE");
    }

    @Test
    void evalKeysAreCountedByNumkeys() {
        assertKeys(new int[] {3, 4}, "EVAL", "return 1", "2", "k1", "k2", "arg");
        assertKeys(new int[] {3}, "EVALSHA", "abc", "1", "k1");
        assertKeys(new int[] {3, 4}, "FCALL", "fn", "2", "k1", "k2");
        assertKeys(new int[] {3}, "EVAL_RO", "return 1", "1", "k");
    }

    @Test
    void evalWithoutKeysHasNone() {
        assertKeys(none(), "EVAL", "return 1", "0");
        assertKeys(none(), "EVAL", "return 1", "0", "arg");
        assertKeys(none(), "EVAL", "return 1");
    }

    @Test
    void aNumkeysThatIsNoCountOfTheKeysGivenNamesNone() {
        assertKeys(none(), "EVAL", "return 1", "two", "k1", "k2");
        assertKeys(none(), "EVAL", "return 1", "-1", "k1");
        assertKeys(none(), "EVAL", "return 1", "3", "k1", "k2");
        assertKeys(none(), "EVAL", "return 1", "", "k1");
    }

    @Test
    void aNumkeysBeyondTheRangeOfIntNamesNoCountedKeys() {
        assertKeys(none(), "EVAL", "return 1", "9223372036854775807", "k1");
        assertKeys(new int[] {1}, "ZUNIONSTORE", "dest", "9223372036854775806", "k1");
    }

    @Test
    void numkeysCommandsCountFromTheirOwnPlace() {
        assertKeys(new int[] {2, 3}, "ZUNION", "2", "a", "b", "WEIGHTS", "1", "2");
        assertKeys(new int[] {2, 3}, "LMPOP", "2", "a", "b", "LEFT");
        assertKeys(new int[] {2}, "SINTERCARD", "1", "a", "LIMIT", "5");
        assertKeys(new int[] {3, 4}, "BLMPOP", "0", "2", "a", "b", "LEFT");
    }

    @Test
    void zunionstoreHasItsDestinationAndItsCountedKeys() {
        assertKeys(new int[] {1, 3, 4}, "ZUNIONSTORE", "dest", "2", "a", "b", "WEIGHTS", "1", "2");
        assertKeys(new int[] {1, 3}, "ZINTERSTORE", "dest", "1", "a");
        assertKeys(new int[] {1}, "ZDIFFSTORE", "dest", "x", "a");
        assertKeys(new int[] {1}, "ZUNIONSTORE", "dest");
        assertKeys(none(), "ZUNIONSTORE");
    }

    @Test
    void xreadKeysAreTheFirstHalfAfterStreams() {
        assertKeys(new int[] {2, 3}, "XREAD", "STREAMS", "s1", "s2", "0", "0");
        assertKeys(new int[] {6}, "XREAD", "COUNT", "2", "BLOCK", "0", "streams", "s1", "$");
        assertKeys(new int[] {2}, "XREAD", "STREAMS", "streams", "0");
        assertKeys(none(), "XREAD", "COUNT", "2");
    }

    @Test
    void xreadgroupKeysAreTheFirstHalfAfterStreams() {
        assertKeys(new int[] {5}, "XREADGROUP", "GROUP", "g", "c", "STREAMS", "s1", ">");
        assertKeys(new int[] {8, 9}, "XREADGROUP", "GROUP", "g", "c", "COUNT", "1", "NOACK", "STREAMS", "a", "b",
                ">", ">");
    }

    @Test
    void xreadgroupWithAGroupOrConsumerNamedStreamsFindsTheRealKeys() {
        assertKeys(new int[] {5}, "XREADGROUP", "GROUP", "streams", "c", "STREAMS", "s1", ">");
        assertKeys(new int[] {5}, "XREADGROUP", "GROUP", "g", "STREAMS", "STREAMS", "s1", ">");
    }

    @Test
    void blockingPopsTakeEveryArgumentButTheTimeout() {
        assertKeys(new int[] {1}, "BLPOP", "a", "0");
        assertKeys(new int[] {1, 2, 3}, "BRPOP", "a", "b", "c", "1.5");
        assertKeys(new int[] {1, 2}, "BZPOPMIN", "a", "b", "0");
        assertKeys(new int[] {1, 2}, "BLMOVE", "a", "b", "LEFT", "LEFT", "0");
    }

    @Test
    void bitopKeysStartAtItsDestination() {
        assertKeys(new int[] {2, 3, 4}, "BITOP", "AND", "dest", "a", "b");
        assertKeys(new int[] {2, 3}, "BITOP", "NOT", "dest", "a");
    }

    @Test
    void subcommandsNameTheirKeySecond() {
        assertKeys(new int[] {2}, "OBJECT", "ENCODING", "k");
        assertKeys(new int[] {2}, "XINFO", "STREAM", "s");
        assertKeys(new int[] {2}, "XGROUP", "CREATE", "s", "g", "$");
        assertKeys(new int[] {2}, "MEMORY", "USAGE", "k");
        assertKeys(none(), "MEMORY", "STATS");
    }

    @Test
    void theProxysOwnCommandsHaveNoKeys() {
        assertKeys(none(), "PING");
        assertKeys(none(), "SCAN", "0", "MATCH", "k*");
        assertKeys(none(), "KEYS", "*");
    }

    @Test
    void unknownCommandsHaveNoSpec() {
        assertNull(Commands.of("NOSUCHCOMMAND"));
        assertNull(Commands.of("CONFIG"));
        assertNull(Commands.of("CLUSTER"));
        assertNull(Commands.of("SUBSCRIBE"));
        assertNull(Commands.of("get"), "specs are looked up by upper-case name");
    }

    /** The spec {@link Commands#of(Request)} finds for the command {@code words} spell. */
    private static Commands.Spec specOf(String... words) {
        ByteBuf in = Resp.command(UnpooledByteBufAllocator.DEFAULT, words);
        Request r = PARSER.next(in);
        try {
            return Commands.of(r);
        } finally {
            r.release();
            in.release();
        }
    }

    @Test
    void everyCommandIsFoundFromTheRequestBytesInAnyCase() {
        for (Commands.Spec spec : Commands.all()) {
            String name = spec.name();
            String mixed = name.substring(0, 1).toLowerCase(Locale.ROOT) + name.substring(1);
            assertSame(spec, specOf(name, "k"), name);
            assertSame(spec, specOf(name.toLowerCase(Locale.ROOT)), name);
            assertSame(spec, specOf(mixed, "k", "v"), mixed);
        }
    }

    @Test
    void unknownCommandsAreNotFoundFromTheRequestBytes() {
        assertNull(specOf("NOSUCHCOMMAND"));
        assertNull(specOf("config", "get", "*"));
        assertNull(specOf("GETT", "k"));
        assertNull(specOf("GE", "k"));
        assertNull(specOf(""));
        assertNull(specOf("G\u00c9T", "k"));
    }

    @Test
    void commandsAreRoutedByWhatTheyDo() {
        assertEquals(Commands.Route.MGET, route("MGET"));
        assertEquals(Commands.Route.MSET, route("MSET"));
        for (String sum : new String[] {"DEL", "UNLINK", "TOUCH", "EXISTS"}) {
            assertEquals(Commands.Route.SUM, route(sum), sum);
        }
        for (String blocking : new String[] {"BLPOP", "BRPOP", "BZPOPMIN", "BZPOPMAX", "BRPOPLPUSH", "BLMOVE",
            "BLMPOP", "BZMPOP"}) {
            assertEquals(Commands.Route.BLOCKING, route(blocking), blocking);
        }
        for (String own : new String[] {"PING", "ECHO", "AUTH", "HELLO", "SELECT", "QUIT", "CLIENT", "INFO",
            "COMMAND", "DBSIZE", "KEYS", "SCAN", "RANDOMKEY", "FLUSHALL", "FLUSHDB", "SCRIPT", "MULTI", "EXEC",
            "DISCARD", "WATCH", "UNWATCH", "TIME", "READONLY", "READWRITE", "RESET", "BIUPROXY"}) {
            assertEquals(Commands.Route.PROXY, route(own), own);
        }
        for (String keyed : new String[] {"GET", "SET", "MSETNX", "RENAME", "EVAL", "ZUNIONSTORE", "XREAD",
            "XREADGROUP", "BITOP", "SINTER", "OBJECT", "MEMORY"}) {
            assertEquals(Commands.Route.KEYED, route(keyed), keyed);
        }
    }

    @Test
    void specsKnowWhichCommandsWrite() {
        assertFalse(Commands.of("GET").write());
        assertFalse(Commands.of("MGET").write());
        assertFalse(Commands.of("XREAD").write());
        assertTrue(Commands.of("SET").write());
        assertTrue(Commands.of("MSET").write());
        assertTrue(Commands.of("DEL").write());
        assertTrue(Commands.of("XREADGROUP").write());
        assertEquals("GET", Commands.of("GET").name());
    }
}
