package io.biu.proxy.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RespScannerTest {

    /** One complete value of every RESP2 type and shape. */
    private static final List<String> VALUES = List.of(
            "+OK\r\n",
            "+\r\n",
            "-ERR wrong number of arguments\r\n",
            ":0\r\n",
            ":-42\r\n",
            ":9223372036854775807\r\n",
            "$3\r\nfoo\r\n",
            "$0\r\n\r\n",
            "$-1\r\n",
            "$6\r\na\r\nb\rc\r\n",
            "$4\r\n\r\n\r\n\r\n",
            "*-1\r\n",
            "*0\r\n",
            "*2\r\n$3\r\nfoo\r\n:1\r\n",
            "*3\r\n$-1\r\n*-1\r\n+x\r\n",
            "*2\r\n*2\r\n+a\r\n-b\r\n*1\r\n$-1\r\n",
            "*3\r\n*3\r\n:0\r\n:5460\r\n*2\r\n$9\r\n127.0.0.1\r\n:7000\r\n*0\r\n$2\r\nok\r\n");

    private static ByteBuf buf(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    private static int end(String s) {
        ByteBuf b = buf(s);
        try {
            return RespScanner.end(b, 0, b.writerIndex());
        } finally {
            b.release();
        }
    }

    @Test
    void theEndOfEveryTypeOfValueIsJustPastIt() {
        for (String v : VALUES) {
            assertEquals(v.length(), end(v), v);
        }
    }

    @Test
    void bytesAfterTheValueAreNotPartOfIt() {
        for (String v : VALUES) {
            assertEquals(v.length(), end(v + "+NEXT\r\n"), v);
            assertEquals(v.length(), end(v + "*2\r\n"), v);
        }
    }

    @Test
    void aValueIsScannedFromAnyIndexAndTheIndexesOfTheBufferDoNotMove() {
        String before = "+skipped\r\n";
        for (String v : VALUES) {
            ByteBuf b = buf(before + v + ":7\r\n");
            b.readerIndex(3);
            int writer = b.writerIndex();
            assertEquals(before.length() + v.length(), RespScanner.end(b, before.length(), writer), v);
            assertEquals(3, b.readerIndex());
            assertEquals(writer, b.writerIndex());
            b.release();
        }
    }

    @Test
    void everyPrefixOfAValueIsIncompleteUntilTheLastByte() {
        for (String v : VALUES) {
            ByteBuf whole = buf(v);
            for (int k = 0; k < v.length(); k++) {
                ByteBuf prefix = buf(v.substring(0, k));
                assertEquals(-1, RespScanner.end(prefix, 0, k), () -> "prefix of " + prefix.readableBytes() + ": " + v);
                assertEquals(-1, RespScanner.end(whole, 0, k), "bounded by 'to': " + v);
                prefix.release();
            }
            assertEquals(v.length(), RespScanner.end(whole, 0, v.length()), v);
            whole.release();
        }
    }

    @Test
    void everyPrefixOfPipelinedRepliesEndsTheFirstOnlyOnceItIsComplete() {
        String first = "*2\r\n$3\r\nfoo\r\n$-1\r\n";
        String all = first + ":1\r\n";
        ByteBuf b = buf(all);
        for (int k = 0; k <= all.length(); k++) {
            assertEquals(k < first.length() ? -1 : first.length(), RespScanner.end(b, 0, k), "to=" + k);
        }
        b.release();
    }

    @Test
    void nullBulksAndNullArraysAreOneElementEach() {
        assertEquals(-1, end("*3\r\n$-1\r\n*-1\r\n"));
        assertEquals(18, end("*3\r\n$-1\r\n*-1\r\n:1\r\n+after\r\n"));
    }

    @Test
    void deeplyNestedArraysEndAfterTheirInnermostElement() {
        String v = "*1\r\n".repeat(1000) + ":1\r\n";
        assertEquals(v.length(), end(v));
        assertEquals(-1, end(v.substring(0, v.length() - 1)));
    }

    @Test
    void theContentOfABulkStringIsNotScannedForLineEnds() {
        assertEquals(9, end("$3\r\na\rb\r\n"));
        assertEquals(10, end("$4\r\n\r\r\r\r\r\n"));
    }

    @Test
    void aLargeBulkStringIsIncompleteUntilAllOfItHasArrived() {
        String v = "$100000\r\n" + "x".repeat(100_000) + "\r\n";
        assertEquals(v.length(), end(v));
        assertEquals(-1, end(v.substring(0, v.length() - 1)));
        assertEquals(-1, end("$100000\r\n"));
    }

    @Test
    void bytesThatAreNotRespAreRefused() {
        for (String bad : List.of(
                "?\r\n",
                "hello\r\n",
                "$abc\r\nabc\r\n",
                "$\r\n",
                "$-2\r\n",
                "$--1\r\n",
                "*-2\r\n",
                "*x\r\n",
                "*\r\n",
                "*1\r\n!oops\r\n",
                "*2\r\n:1\r\n~\r\n",
                "+OK\rX\r\n",
                "$123456789012345678901\r\n")) {
            assertThrows(RespProtocolException.class, () -> end(bad), bad);
        }
    }

    @Test
    void anIncompleteValueIsRefusedAsSoonAsItsBytesAreNotResp() {
        assertThrows(RespProtocolException.class, () -> end("*3\r\n:1\r\n&x\r\n"));
        assertThrows(RespProtocolException.class, () -> end("+a\rb"));
    }

    @Test
    void lineEndIsTheCarriageReturnOfTheFirstCrlf() {
        ByteBuf b = buf("+OK\r\n+NO\r\n");
        assertEquals(3, RespScanner.lineEnd(b, 1, b.writerIndex()));
        assertEquals(8, RespScanner.lineEnd(b, 5, b.writerIndex()));
        assertEquals(-1, RespScanner.lineEnd(b, 1, 3));
        assertEquals(-1, RespScanner.lineEnd(b, 1, 4));
        assertEquals(3, RespScanner.lineEnd(b, 1, 5));
        b.release();
    }

    @Test
    void aCarriageReturnWithoutLineFeedIsRefused() {
        ByteBuf b = buf("+OK\rOK\r\n");
        assertThrows(RespProtocolException.class, () -> RespScanner.lineEnd(b, 1, b.writerIndex()));
        b.release();
    }

    private static long parseLong(String s) {
        ByteBuf b = buf("[" + s + "]");
        try {
            return RespScanner.parseLong(b, 1, 1 + s.length());
        } finally {
            b.release();
        }
    }

    @Test
    void parseLongReadsDecimals() {
        assertEquals(0, parseLong("0"));
        assertEquals(7, parseLong("7"));
        assertEquals(-1, parseLong("-1"));
        assertEquals(1234567890123L, parseLong("1234567890123"));
        assertEquals(Long.MAX_VALUE, parseLong("9223372036854775807"));
        assertEquals(Long.MIN_VALUE, parseLong("-9223372036854775808"));
    }

    @Test
    void parseLongRefusesWhatIsNotADecimal() {
        for (String bad : List.of("", "-", "+1", "1a", " 1", "1 ", "0x10", "1.5", "123456789012345678901")) {
            assertThrows(RespProtocolException.class, () -> parseLong(bad), "'" + bad + "'");
        }
    }

    @Test
    void parseLongRefusesNumbersBeyondTheRangeOfALong() {
        for (String big : List.of("9223372036854775808", "18446744073709551617", "99999999999999999999",
                "-9223372036854775809")) {
            assertThrows(RespProtocolException.class, () -> parseLong(big), big);
        }
    }

    /** -1 (incomplete, for ever) or refused: anything but an end. */
    private static void assertNeverComplete(String v) {
        int end;
        try {
            end = end(v);
        } catch (RespProtocolException refused) {
            return;
        }
        assertEquals(-1, end, v.trim());
    }

    @Test
    void aBulkLengthBeyondAnyBufferIsNeverACompleteValue() {
        assertNeverComplete("$9223372036854775806\r\n");
        assertNeverComplete("$9223372036854775807\r\nx");
    }

    @Test
    void anArrayCountBeyondAnyBufferIsNeverACompleteValue() {
        assertNeverComplete("*2\r\n*9223372036854775807\r\n:1\r\n");
    }
}
