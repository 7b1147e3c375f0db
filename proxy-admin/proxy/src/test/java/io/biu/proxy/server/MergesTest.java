package io.biu.proxy.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.biu.proxy.resp.RespScanner;
import io.biu.proxy.resp.RespValue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The merges allocate their replies with {@code client.alloc()}; the client is a real {@link ClientSession} on an
 * {@link EmbeddedChannel} (no network, no backend: nothing is sent).
 */
class MergesTest {

    private EmbeddedChannel channel;
    private ClientSession client;

    @BeforeEach
    void client() {
        Properties p = new Properties();
        p.setProperty("seeds", "127.0.0.1:7000");
        ProxyConfig config = ProxyConfig.of(p);
        Stats stats = new Stats();
        client = new ClientSession(Dispatchers.of(config, stats, EmbeddedChannel.class),
                config, stats, new Access(config.passwords(), config.adminPassword()), new PreAuth(64),
                TlsServing.of(config));
        channel = new EmbeddedChannel(client);
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    /**
     * Merges the replies {@code parts} as {@link Pending} does (the parts released right after), and returns the
     * merged reply's bytes; checks that no reference to a part is left behind once the reply is released.
     */
    private String merge(Pending.Merge merge, String... parts) {
        ByteBuf[] bufs = new ByteBuf[parts.length];
        for (int i = 0; i < parts.length; i++) {
            bufs[i] = Unpooled.copiedBuffer(parts[i], StandardCharsets.ISO_8859_1);
            assertEquals(bufs[i].writerIndex(), RespScanner.end(bufs[i], 0, bufs[i].writerIndex()), parts[i]);
        }
        ByteBuf merged = merge.merge(client, bufs);
        for (ByteBuf b : bufs) {
            b.release();
        }
        String out = merged.toString(StandardCharsets.ISO_8859_1);
        assertEquals(merged.readableBytes(), RespScanner.end(merged, merged.readerIndex(), merged.writerIndex()),
                "one whole reply: " + out);
        merged.release();
        for (ByteBuf b : bufs) {
            assertEquals(0, b.refCnt(), "a part still referenced");
        }
        return out;
    }

    private static List<RespValue> items(String reply) {
        return assertInstanceOf(RespValue.Array.class,
                RespValue.of(reply.getBytes(StandardCharsets.ISO_8859_1))).items();
    }

    private static String text(RespValue v) {
        return assertInstanceOf(RespValue.Bulk.class, v).text();
    }

    private static String bulk(String s) {
        return "$" + s.length() + "\r\n" + s + "\r\n";
    }

    // ---- ALL_OK, SUM, CONCAT, FIRST

    @Test
    void allOkIsOkWhenEveryPartIsOk() {
        assertEquals("+OK\r\n", merge(Merges.ALL_OK, "+OK\r\n", "+OK\r\n", "+OK\r\n"));
    }

    @Test
    void allOkIsTheFirstErrorOfAnyPart() {
        assertEquals("-ERR first\r\n", merge(Merges.ALL_OK, "+OK\r\n", "-ERR first\r\n", "-ERR second\r\n"));
        assertEquals("-OOM no\r\n", merge(Merges.ALL_OK, "-OOM no\r\n"));
    }

    @Test
    void sumAddsTheIntegersOfEveryPart() {
        assertEquals(":6\r\n", merge(Merges.SUM, ":1\r\n", ":0\r\n", ":5\r\n"));
        assertEquals(":1\r\n", merge(Merges.SUM, ":-2\r\n", ":3\r\n"));
        assertEquals(":10000000000\r\n", merge(Merges.SUM, ":9999999999\r\n", ":1\r\n"));
        assertEquals(":0\r\n", merge(Merges.SUM, ":0\r\n"));
    }

    @Test
    void sumIsTheErrorOfAnyPart() {
        assertEquals("-CLUSTERDOWN down\r\n", merge(Merges.SUM, ":1\r\n", "-CLUSTERDOWN down\r\n", ":2\r\n"));
    }

    @Test
    void concatJoinsTheArraysOfEveryPart() {
        String merged = merge(Merges.CONCAT, "*2\r\n" + bulk("a") + bulk("b"), "*0\r\n", "*-1\r\n",
                "*1\r\n" + bulk("c\r\nd"));
        assertEquals("*3\r\n" + bulk("a") + bulk("b") + bulk("c\r\nd"), merged);
        assertEquals("*0\r\n", merge(Merges.CONCAT, "*0\r\n", "*0\r\n"));
    }

    @Test
    void concatIsTheErrorOfAnyPart() {
        assertEquals("-ERR keys\r\n", merge(Merges.CONCAT, "*1\r\n" + bulk("a"), "-ERR keys\r\n"));
    }

    @Test
    void firstIsTheFirstReplyThatIsNoError() {
        String sha = bulk("e0e1f9fabfc9d4800c877a703b823ac0578ff8db");
        assertEquals(sha, merge(Merges.FIRST, "-NOSCRIPT x\r\n", sha, bulk("other")));
        assertEquals("-ERR a\r\n", merge(Merges.FIRST, "-ERR a\r\n", "-ERR b\r\n"));
    }

    // ---- MGET

    @Test
    void mgetPutsEveryValueBackInTheClientsKeyOrder() {
        // MGET k0 k1 k2 k3 k4: k0, k3 in one slot; k1 alone; k2, k4 in a third
        Pending.Merge m = Merges.mget(5, new int[][] {{0, 3}, {1}, {2, 4}});
        String merged = merge(m,
                "*2\r\n" + bulk("v0") + bulk("v3"),
                "*1\r\n$-1\r\n",
                "*2\r\n" + bulk("v2\r\nmore") + "$-1\r\n");
        assertEquals("*5\r\n" + bulk("v0") + "$-1\r\n" + bulk("v2\r\nmore") + bulk("v3") + "$-1\r\n", merged);
        List<RespValue> values = items(merged);
        assertEquals("v0", text(values.get(0)));
        assertNull(text(values.get(1)));
        assertEquals("v2\r\nmore", text(values.get(2)));
        assertEquals("v3", text(values.get(3)));
        assertNull(text(values.get(4)));
    }

    @Test
    void mgetKeepsEmptyAndBinaryValuesAsTheyCame() {
        String binary = "\u0000\u00ff\r";
        Pending.Merge m = Merges.mget(3, new int[][] {{2}, {0, 1}});
        String merged = merge(m, "*1\r\n" + bulk(binary), "*2\r\n" + bulk("") + "$-1\r\n");
        assertEquals("*3\r\n" + bulk("") + "$-1\r\n" + bulk(binary), merged);
        assertArrayEquals(new byte[] {0, (byte) 0xff, '\r'},
                ((RespValue.Bulk) items(merged).get(2)).bytes());
    }

    @Test
    void mgetIsTheErrorOfAnyPart() {
        Pending.Merge m = Merges.mget(2, new int[][] {{0}, {1}});
        assertEquals("-TRYAGAIN later\r\n", merge(m, "*1\r\n" + bulk("v"), "-TRYAGAIN later\r\n"));
    }

    // ---- SCAN

    private static String scanReply(String cursor, String... keys) {
        StringBuilder sb = new StringBuilder("*2\r\n").append(bulk(cursor)).append('*').append(keys.length)
                .append("\r\n");
        for (String k : keys) {
            sb.append(bulk(k));
        }
        return sb.toString();
    }

    @Test
    void aScanThatGoesOnKeepsTheMasterInTheCursorsLowPart() {
        assertEquals(scanReply(String.valueOf(17 * 1024 + 2), "a", "b"),
                merge(Merges.scan(2, 3), scanReply("17", "a", "b")));
        assertEquals(scanReply("1024"), merge(Merges.scan(0, 1), scanReply("1")));
    }

    @Test
    void theProxysCursorNamesTheBackendCursorAndTheMaster() {
        long backend = (1L << 40) + 12345;
        String merged = merge(Merges.scan(5, 6), scanReply(Long.toUnsignedString(backend), "k"));
        long cursor = Long.parseUnsignedLong(text(items(merged).get(0)));
        assertEquals(5, Long.remainderUnsigned(cursor, CommandRouter.SCAN_MASTERS));
        assertEquals(backend, Long.divideUnsigned(cursor, CommandRouter.SCAN_MASTERS));
    }

    @Test
    void aMasterScannedToTheEndHandsOverToTheNext() {
        assertEquals(scanReply("1", "x"), merge(Merges.scan(0, 3), scanReply("0", "x")));
        assertEquals(scanReply("2"), merge(Merges.scan(1, 3), scanReply("0")));
    }

    @Test
    void theLastMasterScannedToTheEndEndsTheScan() {
        assertEquals(scanReply("0", "y", "z"), merge(Merges.scan(2, 3), scanReply("0", "y", "z")));
        assertEquals(scanReply("0"), merge(Merges.scan(0, 1), scanReply("0")));
    }

    @Test
    void aScanErrorIsTheReply() {
        assertEquals("-ERR syntax error\r\n", merge(Merges.scan(0, 2), "-ERR syntax error\r\n"));
    }
}
