package io.biu.proxy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A client's replies and the pace it is read at, on an {@link EmbeddedChannel}: commands are put in the queue as
 * the session does when it reads them, and their replies come in whatever order the test says.
 */
class ReplyQueueTest {

    private final List<SessionFixture> fixtures = new ArrayList<>();
    private ClientSession client;

    private EmbeddedChannel channel(String... settings) {
        SessionFixture fixture = new SessionFixture(settings);
        fixtures.add(fixture);
        client = fixture.session;
        return fixture.channel;
    }

    @AfterEach
    void close() {
        fixtures.forEach(SessionFixture::close);
    }

    /** A command read: in the queue, and reading looked at again, as the session does. */
    private Pending read() {
        Pending p = new Pending(client, System.nanoTime());
        client.replies.add(p);
        client.replies.updateReading();
        return p;
    }

    private static ByteBuf text(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.UTF_8);
    }


    @Test
    void repliesGoOutInTheOrderOfTheCommandsWhateverOrderTheyComeIn() {
        EmbeddedChannel c = channel();
        Pending first = read();
        Pending second = read();
        Pending third = read();
        third.complete(text(":3\r\n"));
        second.complete(text(":2\r\n"));
        assertEquals("", SessionFixture.written(c), "nothing before the first command's reply");
        first.complete(text(":1\r\n"));
        assertEquals(":1\r\n:2\r\n:3\r\n", SessionFixture.written(c));
    }

    @Test
    void aReplyAtTheHeadGoesOutAtOnce() {
        EmbeddedChannel c = channel();
        Pending first = read();
        Pending second = read();
        first.complete(text(":1\r\n"));
        assertEquals(":1\r\n", SessionFixture.written(c));
        second.complete(text(":2\r\n"));
        assertEquals(":2\r\n", SessionFixture.written(c));
    }

    @Test
    void readingPausesWithTheWindowFullAndResumesAsRepliesLeave() {
        EmbeddedChannel c = channel();
        List<Pending> waiting = new ArrayList<>();
        for (int i = 0; i < ReplyWindow.MIN - 1; i++) {
            waiting.add(read());
        }
        assertTrue(c.config().isAutoRead());
        waiting.add(read());
        assertFalse(c.config().isAutoRead(), ReplyWindow.MIN + " commands waiting: a new client's window is full");
        assertFalse(client.replies.reading());

        waiting.get(0).complete(text("+OK\r\n"));
        assertTrue(c.config().isAutoRead(), "one reply left: room for one more command");
        assertTrue(client.replies.reading());
        waiting.subList(1, waiting.size()).forEach(p -> p.complete(text("+OK\r\n")));
        SessionFixture.written(c);
    }

    @Test
    void whatWasReadWhileThePeerTookNoRepliesIsParsedOnceItDoes() {
        EmbeddedChannel c = channel();
        // the client stops reading: its replies do not leave
        c.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        c.runPendingTasks();
        assertFalse(client.replies.reading());
        c.writeInbound(text("PING\r\nPING\r\n"));
        assertEquals("", SessionFixture.written(c), "nothing parsed while paused");

        c.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        assertEquals("+PONG\r\n+PONG\r\n", SessionFixture.written(c));
    }

    /**
     * Two replies of 600 bytes written at once to a client whose channel takes 500 bytes before it is not
     * writable (reading pauses after the first): 1.2 KB waiting, past a soft limit of 1000 bytes. (The test's
     * channel runs its pending tasks, flushes included, whenever it is written to: nothing may be pending when
     * the replies are written.)
     */
    private EmbeddedChannel pileUp(String hardLimit) {
        EmbeddedChannel c = channel("client-buffer-bytes", "1000", "client-buffer-hard-bytes", hardLimit);
        c.config().setWriteBufferWaterMark(new WriteBufferWaterMark(250, 500));
        Pending first = read();
        Pending second = read();
        second.complete(text("$600\r\n" + "x".repeat(600) + "\r\n"));
        assertEquals("", SessionFixture.written(c), "nothing written yet");
        first.complete(text("$600\r\n" + "x".repeat(600) + "\r\n"));
        return c;
    }

    @Test
    void aPausedClientWhoseRepliesPileUpPastTheHardLimitIsDisconnected() {
        EmbeddedChannel c = pileUp("1000");
        assertFalse(c.isActive());
        assertTrue(client.replies.closed());
    }

    @Test
    void aPausedClientWhoseRepliesStayWithinTheHardLimitIsKeptWhileBuffersLast() {
        EmbeddedChannel c = pileUp("2000");
        assertTrue(c.isActive());
        assertFalse(client.replies.reading(), "paused until its replies leave");
        SessionFixture.written(c);
        assertTrue(client.replies.reading());
    }

    @Test
    void repliesThatComeAfterTheClientLeftAreFreed() {
        EmbeddedChannel c = channel();
        Pending first = read();
        Pending second = read();
        c.close();
        ByteBuf late = text(":2\r\n");
        second.complete(late);
        first.complete(text(":1\r\n"));
        assertEquals(0, late.refCnt());
        assertEquals("", SessionFixture.written(c));
    }
}
