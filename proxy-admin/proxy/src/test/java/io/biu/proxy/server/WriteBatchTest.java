package io.biu.proxy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What a batch hands its channel: a lone message as it is, small ones gathered in one copy, in order. */
class WriteBatchTest {

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final WriteBatch batch = new WriteBatch();

    @AfterEach
    void close() {
        batch.release();
        channel.finishAndReleaseAll();
    }

    private static ByteBuf direct(String text) {
        ByteBuf buf = Unpooled.directBuffer(text.length());
        buf.writeCharSequence(text, StandardCharsets.US_ASCII);
        return buf;
    }

    /** A message as requests and replies are: a slice of a bigger buffer, past bytes already read. */
    private static ByteBuf slice(String text) {
        ByteBuf whole = direct("xx" + text + "yy");
        ByteBuf slice = whole.retainedSlice(2, text.length());
        whole.release();
        return slice;
    }

    /** The next buffer written to the channel, as text (released). */
    private String written() {
        channel.flush();
        ByteBuf out = channel.readOutbound();
        try {
            return out.toString(StandardCharsets.US_ASCII);
        } finally {
            out.release();
        }
    }

    @Test
    void aLoneMessageIsWrittenItselfWithoutACopy() {
        ByteBuf reply = slice("+OK\r\n");
        batch.add(channel, reply);
        batch.drain(channel);
        channel.flush();
        ByteBuf out = channel.readOutbound();
        assertSame(reply, out);
        out.release();
        assertNull(channel.readOutbound());
    }

    @Test
    void smallMessagesLeaveAsOneBufferInTheOrderAdded() {
        ByteBuf first = slice("+OK\r\n");
        ByteBuf second = slice(":1\r\n");
        ByteBuf third = slice("$1\r\nv\r\n");
        batch.add(channel, first);
        batch.add(channel, second);
        batch.add(channel, third);
        batch.drain(channel);
        assertEquals("+OK\r\n:1\r\n$1\r\nv\r\n", written());
        assertNull(channel.readOutbound());
        assertEquals(0, first.refCnt());
        assertEquals(0, third.refCnt());
    }

    @Test
    void aCopyLeavesTheCallersMessageAsItWas() {
        ByteBuf request = slice("*1\r\n$4\r\nPING\r\n");
        batch.addCopy(channel, request);
        batch.drain(channel);
        channel.flush();
        ByteBuf out = channel.readOutbound();
        assertNotSame(request, out);
        assertEquals("*1\r\n$4\r\nPING\r\n", out.toString(StandardCharsets.US_ASCII));
        out.release();
        assertEquals(1, request.refCnt());
        assertEquals(0, request.readerIndex());

        batch.addCopy(channel, request);
        batch.addCopy(channel, request);
        batch.drain(channel);
        assertEquals("*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nPING\r\n", written());
        assertEquals(1, request.refCnt());
        request.release();
    }

    @Test
    void aBigMessageGoesAfterWhatWasGatheredBeforeIt() {
        String big = "$600\r\n" + "v".repeat(600) + "\r\n";
        batch.add(channel, slice("+OK\r\n"));
        batch.add(channel, slice(big));
        batch.add(channel, slice(":2\r\n"));
        batch.drain(channel);
        assertEquals("+OK\r\n", written());
        assertEquals(big, written());
        assertEquals(":2\r\n", written());
        assertNull(channel.readOutbound());
    }

    @Test
    void takeHandsOverWhatWasGathered() {
        assertEquals(0, batch.take().readableBytes());
        ByteBuf reply = slice("+OK\r\n");
        batch.add(channel, reply);
        assertSame(reply, batch.take());
        batch.add(channel, reply);
        batch.add(channel, slice(":1\r\n"));
        ByteBuf taken = batch.take();
        assertEquals("+OK\r\n:1\r\n", taken.toString(StandardCharsets.US_ASCII));
        taken.release();
        assertEquals(0, batch.take().readableBytes());
    }

    @Test
    void releaseFreesWhatWasNotWritten() {
        ByteBuf reply = slice("+OK\r\n");
        batch.add(channel, reply);
        batch.release();
        assertEquals(0, reply.refCnt());
        ByteBuf request = slice("*1\r\n$4\r\nPING\r\n");
        batch.addCopy(channel, request);
        batch.release();
        assertEquals(1, request.refCnt());
        request.release();
    }
}
