package io.biu.proxy.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Writing RESP2: the replies the proxy makes itself and the commands it sends on its own account. */
public final class Resp {

    private static final byte[] CRLF = {'\r', '\n'};
    /** Shared, read-only replies; callers write {@code duplicate()}s or {@code retainedDuplicate()}s of them. */
    public static final ByteBuf OK = constant("+OK\r\n");
    public static final ByteBuf QUEUED = constant("+QUEUED\r\n");
    public static final ByteBuf PONG = constant("+PONG\r\n");
    public static final ByteBuf NULL_BULK = constant("$-1\r\n");
    public static final ByteBuf EMPTY_ARRAY = constant("*0\r\n");

    private Resp() {
    }

    private static ByteBuf constant(String text) {
        return Unpooled.unreleasableBuffer(Unpooled.directBuffer(text.length())
                .writeBytes(text.getBytes(StandardCharsets.US_ASCII)).asReadOnly());
    }

    /** An error reply; the message's first word is its code (ERR, NOAUTH, CROSSSLOT...). Newlines become spaces. */
    public static ByteBuf error(ByteBufAllocator alloc, String message) {
        byte[] text = message.replace('\r', ' ').replace('\n', ' ').getBytes(StandardCharsets.UTF_8);
        return alloc.buffer(text.length + 3).writeByte('-').writeBytes(text).writeBytes(CRLF);
    }

    public static ByteBuf simple(ByteBufAllocator alloc, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return alloc.buffer(bytes.length + 3).writeByte('+').writeBytes(bytes).writeBytes(CRLF);
    }

    public static ByteBuf integer(ByteBufAllocator alloc, long n) {
        ByteBuf buf = alloc.buffer(24);
        buf.writeByte(':');
        writeDecimal(buf, n);
        return buf.writeBytes(CRLF);
    }

    public static ByteBuf bulk(ByteBufAllocator alloc, byte[] bytes) {
        ByteBuf buf = alloc.buffer(bytes.length + 16);
        writeBulk(buf, bytes);
        return buf;
    }

    public static ByteBuf bulk(ByteBufAllocator alloc, String text) {
        return bulk(alloc, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A command (an array of bulk strings). */
    public static ByteBuf command(ByteBufAllocator alloc, List<byte[]> args) {
        int size = 16;
        for (byte[] a : args) {
            size += a.length + 16;
        }
        ByteBuf buf = alloc.buffer(size);
        writeArrayHeader(buf, args.size());
        args.forEach(a -> writeBulk(buf, a));
        return buf;
    }

    public static ByteBuf command(ByteBufAllocator alloc, String... args) {
        return command(alloc, java.util.Arrays.stream(args).map(a -> a.getBytes(StandardCharsets.UTF_8)).toList());
    }

    public static void writeArrayHeader(ByteBuf buf, long count) {
        buf.writeByte('*');
        writeDecimal(buf, count);
        buf.writeBytes(CRLF);
    }

    public static void writeBulk(ByteBuf buf, byte[] bytes) {
        buf.writeByte('$');
        writeDecimal(buf, bytes.length);
        buf.writeBytes(CRLF).writeBytes(bytes).writeBytes(CRLF);
    }

    /** A bulk string whose content is {@code length} bytes of {@code src} from {@code index}. */
    public static void writeBulk(ByteBuf buf, ByteBuf src, int index, int length) {
        buf.writeByte('$');
        writeDecimal(buf, length);
        buf.writeBytes(CRLF).writeBytes(src, index, length).writeBytes(CRLF);
    }

    public static void writeDecimal(ByteBuf buf, long n) {
        if (n >= 0 && n < 10) {
            buf.writeByte('0' + (int) n);
        } else {
            buf.writeCharSequence(Long.toString(n), StandardCharsets.US_ASCII);
        }
    }
}
