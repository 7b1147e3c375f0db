package io.biu.proxy.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;

/**
 * Writes to one channel gathered until its flush: small messages (most commands and replies are a few dozen
 * bytes) are copied into one buffer, which costs less than handing the channel a message each; big ones go
 * as they are, after what was gathered before them, so the order never changes.
 *
 * <p>A message alone in its batch (one reply to a client that sent one command, as most clients do) is not
 * copied: it is kept as it is until a second one comes, and written itself if none does.
 */
final class WriteBatch {

    private static final int COPY_LIMIT = 512;
    private static final int BUFFER_LIMIT = 64 * 1024;

    /** The batch's only message so far, not copied yet (the batch owns a reference); or {@code null}. */
    private ByteBuf single;
    /** Copies of the batch's messages; or {@code null}. Never set together with {@link #single}. */
    private ByteBuf out;

    /** Adds {@code msg}, whose reference passes to the batch. */
    void add(Channel channel, ByteBuf msg) {
        int n = msg.readableBytes();
        if (n > COPY_LIMIT) {
            drain(channel);
            channel.write(msg, channel.voidPromise());
            return;
        }
        if (single == null && out == null) {
            single = msg;
            return;
        }
        copy(channel, msg, n);
        msg.release();
    }

    /** Adds a copy of {@code msg}'s readable bytes; the caller keeps its reference. */
    void addCopy(Channel channel, ByteBuf msg) {
        int n = msg.readableBytes();
        if (n > COPY_LIMIT) {
            drain(channel);
            channel.write(msg.retainedDuplicate(), channel.voidPromise());
            return;
        }
        if (single == null && out == null) {
            // a view of its own: writing moves the view's reader index, never the caller's
            single = msg.retainedDuplicate();
            return;
        }
        copy(channel, msg, n);
    }

    private void copy(Channel channel, ByteBuf msg, int n) {
        if (out == null) {
            out = channel.alloc().directBuffer(4096);
            if (single != null) {
                append(single, single.readableBytes());
                single.release();
                single = null;
            }
        }
        append(msg, n);
        if (out.readableBytes() >= BUFFER_LIMIT) {
            drain(channel);
        }
    }

    /**
     * Copies {@code n} readable bytes of {@code msg} to {@link #out}. The source's {@code getBytes} copies memory
     * to memory; {@code out.writeBytes(msg)} would make NIO buffer views of both for each copy when {@code msg}
     * is a slice, as requests and replies are.
     */
    private void append(ByteBuf msg, int n) {
        out.ensureWritable(n);
        msg.getBytes(msg.readerIndex(), out, out.writerIndex(), n);
        out.writerIndex(out.writerIndex() + n);
    }

    /** Hands what was gathered to the channel (without flushing it). */
    void drain(Channel channel) {
        if (single != null) {
            channel.write(single, channel.voidPromise());
            single = null;
        } else if (out != null) {
            if (out.isReadable()) {
                channel.write(out, channel.voidPromise());
            } else {
                out.release();
            }
            out = null;
        }
    }

    /** What was gathered, as one buffer (empty if nothing was), which the caller writes. */
    ByteBuf take() {
        ByteBuf taken = single != null ? single : out != null ? out : Unpooled.EMPTY_BUFFER;
        single = null;
        out = null;
        return taken;
    }

    void release() {
        if (single != null) {
            single.release();
            single = null;
        }
        if (out != null) {
            out.release();
            out = null;
        }
    }
}
