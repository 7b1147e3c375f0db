package io.biu.proxy.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;

/**
 * Writes to one channel gathered until its flush: small messages (most commands and replies are a few dozen
 * bytes) are copied into one buffer, which costs less than handing the channel a message each; big ones go
 * as they are, after what was gathered before them, so the order never changes.
 */
final class WriteBatch {

    private static final int COPY_LIMIT = 512;
    private static final int BUFFER_LIMIT = 64 * 1024;

    private ByteBuf out;

    /** Adds {@code msg}, whose reference passes to the batch. */
    void add(Channel channel, ByteBuf msg) {
        int n = msg.readableBytes();
        if (n > COPY_LIMIT) {
            drain(channel);
            channel.write(msg, channel.voidPromise());
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
        copy(channel, msg, n);
    }

    private void copy(Channel channel, ByteBuf msg, int n) {
        if (out == null) {
            out = channel.alloc().directBuffer(4096);
        }
        out.writeBytes(msg, msg.readerIndex(), n);
        if (out.readableBytes() >= BUFFER_LIMIT) {
            drain(channel);
        }
    }

    /** Hands what was gathered to the channel (without flushing it). */
    void drain(Channel channel) {
        if (out != null) {
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
        ByteBuf taken = out == null ? Unpooled.EMPTY_BUFFER : out;
        out = null;
        return taken;
    }

    void release() {
        if (out != null) {
            out.release();
            out = null;
        }
    }
}
