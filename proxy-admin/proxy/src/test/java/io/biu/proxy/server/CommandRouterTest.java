package io.biu.proxy.server;

import static io.biu.proxy.server.SessionFixture.command;
import static io.biu.proxy.server.SessionFixture.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a client's commands become on their way to the cluster: which parts, for which slots, on which connections. */
class CommandRouterTest {

    private final SessionFixture client = new SessionFixture();

    @AfterEach
    void close() {
        client.close();
    }

    private static void answer(Part part, String reply) {
        part.deliver(Unpooled.copiedBuffer(reply, StandardCharsets.UTF_8));
    }

    @Test
    void aCommandWhoseKeysShareASlotGoesWholeAsTheClientSentIt() {
        client.send("SET", "{u1}a", "1");
        client.send("SINTER", "{u1}a", "{u1}b");
        List<Part> parts = client.parts();
        assertEquals(2, parts.size());
        assertEquals(command("SET", "{u1}a", "1"), text(parts.get(0)));
        assertEquals(SessionFixture.slot("u1"), parts.get(0).slot);
        assertFalse(parts.get(0).resendable, "a write that may have run is not sent again");
        assertEquals(command("SINTER", "{u1}a", "{u1}b"), text(parts.get(1)));
        assertTrue(parts.get(1).resendable, "a read is");

        answer(parts.get(0), "+OK\r\n");
        answer(parts.get(1), "*0\r\n");
        assertEquals("+OK\r\n*0\r\n", client.written());
    }

    @Test
    void aBlockingCommandMayWaitTheTimeItAsksForOnTopOfTheReplyDeadline() {
        assertEquals(2_500_000_000L, blockNanos("BLPOP", "q", "2.5"));
        assertEquals(500_000_000L, blockNanos("BLMPOP", "0.5", "1", "q", "LEFT"));
        assertEquals(1_500_000_000L, blockNanos("XREAD", "COUNT", "1", "BLOCK", "1500", "STREAMS", "s", "$"));
        assertEquals(Long.MAX_VALUE, blockNanos("BRPOP", "q", "0"), "0 waits without end");
        assertEquals(0, blockNanos("BLPOP", "q", "soon"), "a bad timeout is refused by the master at once");
        assertEquals(0, blockNanos("XREAD", "STREAMS", "s", "0"), "not a blocking command");
    }

    /** What the part of the command {@code args} spell may block for, once sent and answered. */
    private long blockNanos(String... args) {
        client.send(args);
        List<Part> parts = client.parts();
        assertEquals(1, parts.size());
        long blockNanos = parts.get(0).blockNanos;
        answer(parts.get(0), "*-1\r\n");
        return blockNanos;
    }

    @Test
    void mgetOverSeveralSlotsIsACommandPerSlotWhoseRepliesAreMergedInTheClientsOrder() {
        client.send("MGET", "{a}1", "{b}2", "{a}3");
        List<Part> parts = client.parts();
        assertEquals(2, parts.size());
        assertEquals(command("MGET", "{a}1", "{a}3"), text(parts.get(0)));
        assertEquals(SessionFixture.slot("a"), parts.get(0).slot);
        assertEquals(command("MGET", "{b}2"), text(parts.get(1)));
        assertEquals(SessionFixture.slot("b"), parts.get(1).slot);

        answer(parts.get(1), "*1\r\n$1\r\ny\r\n");
        assertEquals("", client.written(), "one slot's reply is not the command's");
        answer(parts.get(0), "*2\r\n$1\r\nx\r\n$1\r\nz\r\n");
        assertEquals("*3\r\n$1\r\nx\r\n$1\r\ny\r\n$1\r\nz\r\n", client.written());
    }

    @Test
    void msetAndDelOverSeveralSlotsAreSplitByKeyAndTheirRepliesMerged() {
        client.send("MSET", "{a}1", "x", "{b}2", "y");
        client.send("DEL", "{a}1", "{b}2", "{c}3");
        List<Part> parts = client.parts();
        assertEquals(List.of(command("MSET", "{a}1", "x"), command("MSET", "{b}2", "y"), command("DEL", "{a}1"),
                command("DEL", "{b}2"), command("DEL", "{c}3")), parts.stream().map(SessionFixture::text).toList());
        answer(parts.get(0), "+OK\r\n");
        answer(parts.get(1), "+OK\r\n");
        answer(parts.get(2), ":1\r\n");
        answer(parts.get(3), ":0\r\n");
        answer(parts.get(4), ":1\r\n");
        assertEquals("+OK\r\n:2\r\n", client.written());
    }

    @Test
    void mgetOfOneSlotGoesWhole() {
        client.send("MGET", "{a}1", "{a}2");
        List<Part> parts = client.parts();
        assertEquals(1, parts.size());
        assertEquals(-1, parts.get(0).index, "no merge");
        assertEquals(command("MGET", "{a}1", "{a}2"), text(parts.get(0)));
        parts.get(0).request.release();
    }

    /** Sends the command {@code args} spell, which must become one part, and answers it. */
    private Part oneSent(String... args) {
        client.send(args);
        List<Part> parts = client.parts();
        assertEquals(1, parts.size(), String.join(" ", args));
        answer(parts.get(0), "$-1\r\n");
        return parts.get(0);
    }

    @Test
    void commandsThatMayBlockGoOnTheClientsOwnConnectionsAndNoOtherDoes() {
        DedicatedConnections own = oneSent("BLPOP", "q", "0").dedicatedTo;
        assertNotNull(own, "BLPOP");
        assertSame(own, oneSent("XREAD", "BLOCK", "100", "STREAMS", "s", "$").dedicatedTo, "XREAD BLOCK");
        assertNull(oneSent("XREAD", "COUNT", "1", "STREAMS", "s", "0").dedicatedTo, "XREAD without BLOCK");
        assertSame(own, oneSent("XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">").dedicatedTo,
                "XREADGROUP BLOCK");
        assertNull(oneSent("XREADGROUP", "GROUP", "g", "block", "STREAMS", "s", ">").dedicatedTo,
                "a consumer named block");
        assertNull(oneSent("GET", "q").dedicatedTo, "GET");
    }

    @Test
    void keysInSeveralSlotsOfACommandThatCannotBeSplitAreRefusedBeforeAnythingIsSent() {
        assertTrue(client.send("SINTER", "a", "b").startsWith("-CROSSSLOT"));
        assertTrue(client.send("MSET", "{a}1", "x", "{b}2").startsWith("-ERR wrong number of arguments for 'mset'"));
        assertEquals(List.of(), client.parts());
    }

    @Test
    void withNoMasterKnownFanOutsAreRefusedAndScanEndsAtOnce() {
        assertTrue(client.send("KEYS", "*").startsWith("-CLUSTERDOWN"));
        assertEquals("*2\r\n$1\r\n0\r\n*0\r\n", client.send("SCAN", "0"));
        assertEquals("-ERR invalid cursor\r\n", client.send("SCAN", "x"));
        assertEquals(List.of(), client.parts());
    }

    @Test
    void commandsWithoutKeysGoToAnyMaster() {
        client.send("TIME");
        List<Part> parts = client.parts();
        assertEquals(1, parts.size());
        assertEquals(-1, parts.get(0).slot);
        assertNull(parts.get(0).fixed);
        parts.get(0).request.release();
    }
}
