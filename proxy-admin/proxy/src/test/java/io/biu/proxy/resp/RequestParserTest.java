package io.biu.proxy.resp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestParserTest {

    private final RequestParser parser = new RequestParser(1 << 20, 1024);

    /** A command as clients send it; one char a byte. */
    private static String resp(String... args) {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static ByteBuf buf(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    private static List<String> args(Request r) {
        List<String> args = new ArrayList<>();
        for (int i = 0; i < r.argc(); i++) {
            args.add(new String(r.arg(i), StandardCharsets.ISO_8859_1));
        }
        return args;
    }

    private static String raw(Request r) {
        return r.raw().toString(StandardCharsets.ISO_8859_1);
    }

    private Request parseOne(String s) {
        ByteBuf b = buf(s);
        try {
            Request r = parser.next(b);
            assertNotNull(r, s);
            return r;
        } finally {
            b.release();
        }
    }

    private void assertRefused(RequestParser p, String s) {
        ByteBuf b = buf(s);
        assertThrows(RespProtocolException.class, () -> p.next(b), s);
        assertEquals(1, b.refCnt(), "a refused request holds nothing");
        b.release();
    }

    // ---- multibulk

    @Test
    void aMultibulkCommandIsParsedIntoItsArguments() {
        String s = resp("SET", "key", "value");
        ByteBuf b = buf(s);
        Request r = parser.next(b);
        assertEquals(List.of("SET", "key", "value"), args(r));
        assertEquals(3, r.argc());
        assertEquals(s, raw(r));
        assertEquals(s.length(), b.readerIndex());
        assertNull(parser.next(b));
        r.release();
        b.release();
    }

    @Test
    void bulkArgumentsMayHoldAnyBytesIncludingCrlf() {
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        String bin = new String(binary, StandardCharsets.ISO_8859_1);
        Request r = parseOne(resp("SET", "a\r\nb", bin, ""));
        assertEquals(List.of("SET", "a\r\nb", bin, ""), args(r));
        assertArrayEquals(binary, r.arg(2));
        assertEquals(0, r.argLength(3));
        r.release();
    }

    @Test
    void pipelinedCommandsAreParsedOneAtATime() {
        String a = resp("PING");
        String b = resp("GET", "k");
        String c = "ECHO hi\r\n";
        String d = resp("DEL", "x", "y");
        ByteBuf in = buf(a + b + c + d);
        int[] ends = {a.length(), a.length() + b.length(), a.length() + b.length() + c.length(),
            in.writerIndex()};
        List<List<String>> expected = List.of(List.of("PING"), List.of("GET", "k"), List.of("ECHO", "hi"),
                List.of("DEL", "x", "y"));
        for (int i = 0; i < expected.size(); i++) {
            Request r = parser.next(in);
            assertEquals(expected.get(i), args(r));
            assertEquals(ends[i], in.readerIndex());
            r.release();
        }
        assertNull(parser.next(in));
        in.release();
    }

    @Test
    void aCommandSplitAcrossTwoReadsIsParsedOnceComplete() {
        List<List<String>> commands = List.of(List.of("SET", "key", "va\r\nl"), List.of("MGET", "a", "b", "c"),
                List.of("SET", "key", "value"), List.of("get", "key"));
        List<String> sent = List.of(resp("SET", "key", "va\r\nl"), resp("MGET", "a", "b", "c"), "SET key value\r\n",
                "  get\tkey \n");
        for (int c = 0; c < sent.size(); c++) {
            String s = sent.get(c);
            byte[] all = bytes(s);
            for (int k = 0; k < all.length; k++) {
                ByteBuf in = Unpooled.buffer();
                in.writeBytes(all, 0, k);
                assertNull(parser.next(in), s + " cut at " + k);
                assertEquals(0, in.readerIndex(), "an incomplete command is left for the next read");
                in.writeBytes(all, k, all.length - k);
                Request r = parser.next(in);
                assertNotNull(r, s + " cut at " + k);
                assertEquals(commands.get(c), args(r), s + " cut at " + k);
                assertEquals(all.length, in.readerIndex());
                assertNull(parser.next(in));
                r.release();
                assertEquals(1, in.refCnt());
                in.release();
            }
        }
    }

    @Test
    void everyPrefixOfAPipelineYieldsTheCommandsItHoldsWhole() {
        List<String> segments = List.of(resp("SET", "a", "1"), "*0\r\n", "PING\r\n", "\r\n",
                resp("GET", "{a}b"), resp("ECHO", ""));
        List<List<String>> commands = List.of(List.of("SET", "a", "1"), List.of(), List.of("PING"), List.of(),
                List.of("GET", "{a}b"), List.of("ECHO", ""));
        byte[] all = bytes(String.join("", segments));
        for (int k = 0; k <= all.length; k++) {
            ByteBuf in = Unpooled.wrappedBuffer(all, 0, k);
            List<List<String>> got = new ArrayList<>();
            Request r;
            while ((r = parser.next(in)) != null) {
                got.add(args(r));
                r.release();
            }
            List<List<String>> expected = new ArrayList<>();
            int consumed = 0;
            int end = 0;
            for (int i = 0; i < segments.size(); i++) {
                end += segments.get(i).length();
                if (end <= k) {
                    consumed = end;
                    if (!commands.get(i).isEmpty()) {
                        expected.add(commands.get(i));
                    }
                }
            }
            assertEquals(expected, got, "prefix of " + k);
            assertEquals(consumed, in.readerIndex(), "prefix of " + k);
            in.release();
        }
    }

    @Test
    void aPipelineFedOneByteAtATimeYieldsEveryCommandOnce() {
        String s = resp("SET", "k", "v") + "GET k\r\n" + resp("DEL", "k") + "*0\r\n" + resp("PING");
        ByteBuf in = Unpooled.buffer();
        List<String> names = new ArrayList<>();
        for (byte b : bytes(s)) {
            in.writeByte(b);
            Request r;
            while ((r = parser.next(in)) != null) {
                names.add(r.name());
                r.release();
            }
        }
        assertEquals(List.of("SET", "GET", "DEL", "PING"), names);
        assertFalse(in.isReadable());
        in.release();
    }

    @Test
    void emptyMultibulkCommandsAreSkipped() {
        ByteBuf in = buf("*0\r\n*-1\r\n*0\r\n" + resp("PING") + "*0\r\n");
        Request r = parser.next(in);
        assertEquals(List.of("PING"), args(r));
        r.release();
        assertNull(parser.next(in));
        assertFalse(in.isReadable(), "the trailing empty command is consumed too");
        assertEquals(1, in.refCnt());
        in.release();
    }

    // ---- inline

    @Test
    void anInlineCommandIsSplitIntoWords() {
        Request ping = parseOne("PING\r\n");
        assertEquals(List.of("PING"), args(ping));
        ping.release();
        Request set = parseOne("SET a b\n");
        assertEquals(List.of("SET", "a", "b"), args(set));
        set.release();
        Request spaced = parseOne("   set \t a    b   \t\r\n");
        assertEquals(List.of("set", "a", "b"), args(spaced));
        assertEquals("SET", spaced.name());
        spaced.release();
    }

    @Test
    void anInlineCommandIsEncodedAsTheMultibulkCommandItStandsFor() {
        Request r = parseOne("  set\ta  b\u00e9\r\n");
        assertEquals(resp("set", "a", "b\u00e9"), raw(r));
        assertEquals(1, r.raw().refCnt());
        Request again = parseOne(raw(r));
        assertEquals(args(r), args(again));
        again.release();
        r.release();
        assertEquals(0, r.raw().refCnt());
    }

    @Test
    void anInlineCommandReadsUpToItsLineFeedOnly() {
        ByteBuf in = buf("GET a\r\nGET b\nGET c");
        Request a = parser.next(in);
        assertEquals(7, in.readerIndex());
        Request b = parser.next(in);
        assertEquals(13, in.readerIndex());
        assertEquals(List.of("GET", "a"), args(a));
        assertEquals(List.of("GET", "b"), args(b));
        assertNull(parser.next(in), "no line feed yet");
        assertEquals(13, in.readerIndex());
        a.release();
        b.release();
        in.release();
    }

    @Test
    void blankInlineLinesAreSkipped() {
        ByteBuf in = buf("\r\n\n   \r\n\t \n" + "PING\r\n" + "\n");
        Request r = parser.next(in);
        assertEquals(List.of("PING"), args(r));
        r.release();
        assertNull(parser.next(in));
        assertFalse(in.isReadable());
        in.release();
    }

    @Test
    void anInlineLineOf64KibWithoutLineFeedIsRefused() {
        ByteBuf almost = buf("A".repeat(64 * 1024 - 1));
        assertNull(parser.next(almost));
        almost.release();
        assertRefused(parser, "A".repeat(64 * 1024));
    }

    @Test
    void anInlineCommandIsHeldToTheSameLimitsAsAMultibulkOne() {
        RequestParser small = new RequestParser(32, 2);
        assertRefused(small, "SET a b\r\n");
        assertRefused(small, "GET " + "k".repeat(100) + "\r\n");
    }

    // ---- limits and malformed commands

    @Test
    void aCommandWithMoreArgumentsThanAllowedIsRefusedFromItsHeader() {
        RequestParser two = new RequestParser(1 << 20, 2);
        ByteBuf in = buf(resp("GET", "a"));
        Request atTheLimit = two.next(in);
        assertEquals(2, atTheLimit.argc());
        atTheLimit.release();
        in.release();
        assertRefused(two, "*3\r\n");
        assertRefused(two, resp("MGET", "a", "b"));
    }

    @Test
    void aCommandLargerThanAllowedIsRefusedBeforeItsBytesArrive() {
        String ping = resp("PING");
        ByteBuf in = buf(ping);
        Request atTheLimit = new RequestParser(ping.length(), 8).next(in);
        assertEquals("PING", atTheLimit.name());
        atTheLimit.release();
        in.release();
        assertRefused(new RequestParser(ping.length() - 1, 8), ping);
        assertRefused(new RequestParser(64, 8), "*2\r\n$3\r\nSET\r\n$100\r\n");
    }

    @Test
    void badLengthsAreRefused() {
        for (String bad : List.of("*abc\r\n", "*\r\n", "*1x\r\n", "*1\rX", "*1\r\n$-1\r\n", "*1\r\n$x\r\n",
                "*1\r\n$\r\n", "*1\r\n$4\rPING\r\n", "*" + "1".repeat(40), "*1\r\n$" + "1".repeat(40))) {
            assertRefused(parser, bad);
        }
    }

    @Test
    void headersWithoutTheirLineEndYetAreIncomplete() {
        for (String partial : List.of("*", "*12", "*1\r", "*1\r\n$", "*1\r\n$12345", "*1\r\n$4\r")) {
            ByteBuf in = buf(partial);
            assertNull(parser.next(in), partial);
            assertEquals(0, in.readerIndex());
            in.release();
        }
    }

    @Test
    void anArgumentThatIsNotABulkStringIsRefused() {
        assertRefused(parser, "*1\r\n:1\r\n");
        assertRefused(parser, "*2\r\n$3\r\nGET\r\n+key\r\n");
        assertRefused(parser, "*1\r\n*1\r\n$4\r\nPING\r\n");
    }

    @Test
    void aBulkStringNotEndingInCrlfIsRefused() {
        assertRefused(parser, "*1\r\n$4\r\nPINGXX");
        assertRefused(parser, "*1\r\n$4\r\nPING\rX");
        assertRefused(parser, "*1\r\n$3\r\nPING\r\n");
        ByteBuf notYet = buf("*1\r\n$4\r\nPING\r");
        assertNull(parser.next(notYet));
        notYet.release();
    }

    @Test
    void aBulkLengthBeyondTheRangeOfMemoryIsRefused() {
        assertRefused(new RequestParser(1024, 16), "*2\r\n$3\r\nGET\r\n$9223372036854775806\r\n");
    }

    // ---- buffers

    @Test
    void aRequestHoldsOneReferenceToTheClientsBufferUntilReleased() {
        ByteBuf in = buf(resp("GET", "a") + resp("GET", "b"));
        Request a = parser.next(in);
        assertEquals(2, in.refCnt());
        Request b = parser.next(in);
        assertEquals(3, in.refCnt());
        in.release();
        assertEquals("GET", a.name(), "a request outlives the buffer's owner");
        assertEquals(List.of("GET", "b"), args(b));
        a.release();
        assertEquals(1, b.raw().refCnt());
        b.release();
        assertEquals(0, in.refCnt());
    }

    @Test
    void anInlineRequestOwnsItsOwnBuffer() {
        ByteBuf in = buf("GET a\r\n");
        Request r = parser.next(in);
        assertEquals(1, in.refCnt());
        assertEquals(1, r.raw().refCnt());
        r.release();
        assertEquals(0, r.raw().refCnt());
        assertEquals(1, in.refCnt());
        in.release();
    }

    @Test
    void rawIsExactlyTheCommandsBytesWhereverItLiesInTheBuffer() {
        String first = resp("PING");
        String second = resp("SET", "k", "v");
        ByteBuf in = buf(first + second);
        parser.next(in).release();
        Request r = parser.next(in);
        assertEquals(second, raw(r));
        assertEquals(0, r.raw().readerIndex());
        r.release();
        in.release();
    }

    // ---- Request

    @Test
    void nameIsUpperCase() {
        Request r = parseOne(resp("zRangeByScore", "k", "0", "1"));
        assertEquals("ZRANGEBYSCORE", r.name());
        assertEquals("zRangeByScore", r.argText(0));
        r.release();
    }

    @Test
    void argIsIgnoresAsciiCaseOnly() {
        Request r = parseOne(resp("XREAD", "StReAmS", "streamsx", "\u00e9"));
        assertTrue(r.argIs(1, "STREAMS"));
        assertTrue(r.argIs(1, "streams"));
        assertTrue(r.argIs(0, "xread"));
        assertFalse(r.argIs(2, "STREAMS"), "another length");
        assertFalse(r.argIs(1, "STREAMZ"));
        assertFalse(r.argIs(3, "\u00c9"));
        assertFalse(r.argIs(4, "STREAMS"), "past the last argument");
        assertFalse(r.argIs(99, "X"));
        r.release();
    }

    @Test
    void argumentsReadAsTextNumbersAndBytes() {
        byte[] utf8 = "h\u00e9llo \u2603".getBytes(StandardCharsets.UTF_8);
        ByteBuf in = Unpooled.buffer();
        in.writeBytes(bytes("*4\r\n$6\r\nEXPIRE\r\n$" + utf8.length + "\r\n"));
        in.writeBytes(utf8).writeBytes(bytes("\r\n$3\r\n-12\r\n$2\r\n1x\r\n"));
        Request r = parser.next(in);
        assertEquals("h\u00e9llo \u2603", r.argText(1));
        assertArrayEquals(utf8, r.arg(1));
        assertEquals(utf8.length, r.argLength(1));
        assertEquals(-12, r.argLong(2));
        assertThrows(RespProtocolException.class, () -> r.argLong(3));
        r.release();
        in.release();
    }

    @Test
    void slotIsTheSlotOfTheArgumentTakenAsAKey() {
        ByteBuf in = buf(resp("PING") + resp("MGET", "foo", "{user1000}.following", "bar", ""));
        parser.next(in).release();
        Request r = parser.next(in);
        assertEquals(12182, r.slot(1));
        assertEquals(Slots.slot(bytes("user1000")), r.slot(2));
        assertEquals(5061, r.slot(3));
        assertEquals(0, r.slot(4));
        r.release();
        in.release();
    }

    @Test
    void writeArgWritesTheArgumentAsABulkString() {
        Request r = parseOne("SET key a\r\n");
        ByteBuf out = Unpooled.buffer();
        r.writeArg(out, 1);
        r.writeArg(out, 0);
        assertEquals("$3\r\nkey\r\n$3\r\nSET\r\n", out.toString(StandardCharsets.ISO_8859_1));
        out.release();
        r.release();
    }
}
