package io.biu.proxy.resp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RespValueTest {

    private static final ByteBufAllocator ALLOC = UnpooledByteBufAllocator.DEFAULT;

    private static RespValue of(String s) {
        return RespValue.of(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static String text(RespValue v) {
        return assertInstanceOf(RespValue.Bulk.class, v).text();
    }

    private static List<RespValue> items(RespValue v) {
        return assertInstanceOf(RespValue.Array.class, v).items();
    }

    @Test
    void decodesSimpleStrings() {
        assertEquals(new RespValue.Simple("OK"), of("+OK\r\n"));
        assertEquals(new RespValue.Simple(""), of("+\r\n"));
    }

    @Test
    void decodesErrors() {
        assertEquals(new RespValue.Error("MOVED 3999 127.0.0.1:6381"), of("-MOVED 3999 127.0.0.1:6381\r\n"));
    }

    @Test
    void decodesIntegers() {
        assertEquals(new RespValue.Int(0), of(":0\r\n"));
        assertEquals(new RespValue.Int(-7), of(":-7\r\n"));
        assertEquals(new RespValue.Int(Long.MAX_VALUE), of(":9223372036854775807\r\n"));
    }

    @Test
    void decodesBulkStringsWithAnyBytes() {
        assertEquals("foo", text(of("$3\r\nfoo\r\n")));
        assertEquals("", text(of("$0\r\n\r\n")));
        assertEquals("a\r\nb", text(of("$4\r\na\r\nb\r\n")));
        byte[] binary = {0, (byte) 0xff, '\r', '\n', (byte) 0x80};
        ByteBuf b = Unpooled.buffer().writeBytes("$5\r\n".getBytes(StandardCharsets.US_ASCII)).writeBytes(binary)
                .writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(binary, assertInstanceOf(RespValue.Bulk.class, RespValue.decode(b)).bytes());
        b.release();
    }

    @Test
    void decodesUtf8BulkText() {
        byte[] utf8 = "caf\u00e9".getBytes(StandardCharsets.UTF_8);
        ByteBuf b = Unpooled.buffer().writeBytes(("$" + utf8.length + "\r\n").getBytes(StandardCharsets.US_ASCII))
                .writeBytes(utf8).writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        assertEquals("caf\u00e9", text(RespValue.decode(b)));
        b.release();
    }

    @Test
    void decodesTheNullBulkAndTheNullArray() {
        RespValue.Bulk nullBulk = assertInstanceOf(RespValue.Bulk.class, of("$-1\r\n"));
        assertNull(nullBulk.bytes());
        assertNull(nullBulk.text());
        assertNull(items(of("*-1\r\n")));
    }

    @Test
    void decodesArraysNestedAnyDepth() {
        assertEquals(List.of(), items(of("*0\r\n")));
        List<RespValue> top = items(of("*4\r\n:1\r\n*2\r\n+a\r\n*1\r\n$1\r\nb\r\n$-1\r\n-ERR x\r\n"));
        assertEquals(4, top.size());
        assertEquals(new RespValue.Int(1), top.get(0));
        List<RespValue> second = items(top.get(1));
        assertEquals(new RespValue.Simple("a"), second.get(0));
        assertEquals("b", text(items(second.get(1)).get(0)));
        assertNull(text(top.get(2)));
        assertEquals(new RespValue.Error("ERR x"), top.get(3));
    }

    @Test
    void decodesAClusterSlotsReply() {
        String reply = "*2\r\n"
                + "*3\r\n:0\r\n:5460\r\n*3\r\n$9\r\n127.0.0.1\r\n:7000\r\n$40\r\n" + "a".repeat(40) + "\r\n"
                + "*4\r\n:5461\r\n:16383\r\n*3\r\n$8\r\nredis-b1\r\n:7001\r\n$40\r\n" + "b".repeat(40) + "\r\n"
                + "*3\r\n$8\r\nredis-b2\r\n:7002\r\n$40\r\n" + "c".repeat(40) + "\r\n";
        List<RespValue> ranges = items(of(reply));
        assertEquals(2, ranges.size());
        List<RespValue> second = items(ranges.get(1));
        assertEquals(new RespValue.Int(5461), second.get(0));
        assertEquals(new RespValue.Int(16383), second.get(1));
        assertEquals("redis-b1", text(items(second.get(2)).get(0)));
        assertEquals(new RespValue.Int(7002), items(second.get(3)).get(1));
    }

    @Test
    void decodeReadsFromTheReaderIndexAndLeavesItThere() {
        ByteBuf b = Unpooled.copiedBuffer("+skip\r\n$2\r\nhi\r\n:3\r\n", StandardCharsets.US_ASCII);
        b.readerIndex(7);
        assertEquals("hi", text(RespValue.decode(b)));
        assertEquals(7, b.readerIndex());
        b.release();
    }

    @Test
    void readReadsPastOneValueAtATime() {
        ByteBuf b = Unpooled.copiedBuffer("*1\r\n:1\r\n$2\r\nhi\r\n+OK\r\n", StandardCharsets.US_ASCII);
        assertEquals(List.of(new RespValue.Int(1)), items(RespValue.read(b)));
        assertEquals(8, b.readerIndex());
        assertEquals("hi", text(RespValue.read(b)));
        assertEquals(new RespValue.Simple("OK"), RespValue.read(b));
        assertEquals(b.writerIndex(), b.readerIndex());
        b.release();
    }

    @Test
    void bytesThatAreNotRespAreRefused() {
        assertThrows(RespProtocolException.class, () -> of("?\r\n"));
        assertThrows(RespProtocolException.class, () -> of("+OK"));
        assertThrows(RespProtocolException.class, () -> of(":x\r\n"));
        assertThrows(RespProtocolException.class, () -> of("*1\r\n!\r\n"));
    }

    // ---- encoders, read back

    private static RespValue decodeAndRelease(ByteBuf b) {
        try {
            assertEquals(b.readableBytes(), RespScanner.end(b, b.readerIndex(), b.writerIndex()), "one whole value");
            return RespValue.decode(b);
        } finally {
            b.release();
        }
    }

    private static String string(ByteBuf b) {
        try {
            return b.toString(StandardCharsets.ISO_8859_1);
        } finally {
            b.release();
        }
    }

    @Test
    void errorRepliesTakeTheMessageOnOneLine() {
        assertEquals("-ERR bad\r\n", string(Resp.error(ALLOC, "ERR bad")));
        assertEquals(new RespValue.Error("ERR two  lines"),
                decodeAndRelease(Resp.error(ALLOC, "ERR two\r\nlines")));
        assertEquals(new RespValue.Error("NOAUTH x y"),
                decodeAndRelease(Resp.error(ALLOC, "NOAUTH x\ny")));
    }

    @Test
    void simpleStringsAndIntegersReadBack() {
        assertEquals(new RespValue.Simple("RESET"), decodeAndRelease(Resp.simple(ALLOC, "RESET")));
        for (long n : new long[] {0, 9, 10, -1, -10, 1234567, Long.MAX_VALUE, Long.MIN_VALUE}) {
            assertEquals(new RespValue.Int(n), decodeAndRelease(Resp.integer(ALLOC, n)));
        }
        assertEquals(":42\r\n", string(Resp.integer(ALLOC, 42)));
    }

    @Test
    void bulkStringsReadBackByteForByte() {
        byte[] binary = new byte[300];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) (i * 7);
        }
        assertArrayEquals(binary, ((RespValue.Bulk) decodeAndRelease(Resp.bulk(ALLOC, binary)))
                .bytes());
        assertEquals("\u2603 snow", text(decodeAndRelease(Resp.bulk(ALLOC, "\u2603 snow"))));
        assertEquals("$0\r\n\r\n", string(Resp.bulk(ALLOC, new byte[0])));
    }

    @Test
    void aSliceOfABufferIsWrittenAsABulkString() {
        ByteBuf src = Unpooled.copiedBuffer("xxhelloxx", StandardCharsets.US_ASCII);
        ByteBuf out = Unpooled.buffer();
        Resp.writeBulk(out, src, 2, 5);
        assertEquals("$5\r\nhello\r\n", string(out));
        assertEquals(0, src.readerIndex());
        src.release();
    }

    @Test
    void commandsAreArraysOfBulkStrings() {
        ByteBuf cmd = Resp.command(ALLOC, "SET", "k", "");
        assertEquals("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n", cmd.toString(StandardCharsets.US_ASCII));
        Request r = new RequestParser(1 << 20, 16).next(cmd);
        assertEquals("SET", r.name());
        assertEquals("", r.argText(2));
        r.release();
        cmd.release();
        List<RespValue> items = items(decodeAndRelease(Resp.command(ALLOC,
                List.of(new byte[] {1, 2}, new byte[0], "\r\n".getBytes(StandardCharsets.US_ASCII)))));
        assertArrayEquals(new byte[] {1, 2}, ((RespValue.Bulk) items.get(0)).bytes());
        assertEquals("", text(items.get(1)));
        assertEquals("\r\n", text(items.get(2)));
    }

    @Test
    void headersAndDecimalsAreWrittenInFull() {
        ByteBuf out = Unpooled.buffer();
        Resp.writeArrayHeader(out, 0);
        Resp.writeArrayHeader(out, 12);
        Resp.writeDecimal(out, 7);
        Resp.writeDecimal(out, -7);
        Resp.writeDecimal(out, 1024);
        assertEquals("*0\r\n*12\r\n7-71024", string(out));
    }

    @Test
    void theSharedRepliesAreWhatTheirNamesSay() {
        assertEquals(new RespValue.Simple("OK"), RespValue.decode(Resp.OK));
        assertEquals(new RespValue.Simple("QUEUED"), RespValue.decode(Resp.QUEUED));
        assertEquals(new RespValue.Simple("PONG"), RespValue.decode(Resp.PONG));
        assertNull(text(RespValue.decode(Resp.NULL_BULK)));
        assertEquals(List.of(), items(RespValue.decode(Resp.EMPTY_ARRAY)));
    }

    @Test
    void theSharedRepliesSurviveTheirDuplicatesBeingReadAndReleased() {
        ByteBuf ok = Resp.OK.duplicate();
        ok.skipBytes(ok.readableBytes());
        ok.release();
        Resp.OK.retainedDuplicate().release();
        assertEquals("+OK\r\n", Resp.OK.toString(StandardCharsets.US_ASCII));
        assertEquals(5, Resp.OK.readableBytes());
        assertThrows(RuntimeException.class, () -> Resp.OK.duplicate().setByte(0, '-'), "read-only");
    }
}
