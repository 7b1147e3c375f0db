package io.biu.proxy.resp;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A RESP2 value built whole, for the few replies the proxy reads itself (CLUSTER SLOTS, SCAN's cursor). */
public sealed interface RespValue {

    record Simple(String text) implements RespValue {
    }

    record Error(String message) implements RespValue {
    }

    record Int(long value) implements RespValue {
    }

    /** A bulk string; {@code bytes} is {@code null} for the null bulk string. */
    record Bulk(byte[] bytes) implements RespValue {
        public String text() {
            return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
        }
    }

    /** An array; {@code items} is {@code null} for the null array. */
    record Array(List<RespValue> items) implements RespValue {
    }

    /** The value at {@code buf}'s reader index, which must be complete ({@link RespScanner#end}); reads past it. */
    static RespValue read(ByteBuf buf) {
        byte type = buf.readByte();
        int cr = RespScanner.lineEnd(buf, buf.readerIndex(), buf.writerIndex());
        if (cr < 0) {
            throw new RespProtocolException("incomplete value");
        }
        int lineStart = buf.readerIndex();
        buf.readerIndex(cr + 2);
        return switch (type) {
            case '+' -> new Simple(buf.toString(lineStart, cr - lineStart, StandardCharsets.UTF_8));
            case '-' -> new Error(buf.toString(lineStart, cr - lineStart, StandardCharsets.UTF_8));
            case ':' -> new Int(RespScanner.parseLong(buf, lineStart, cr));
            case '$' -> {
                long n = RespScanner.parseLong(buf, lineStart, cr);
                if (n < 0) {
                    yield new Bulk(null);
                }
                byte[] bytes = new byte[(int) n];
                buf.readBytes(bytes);
                buf.skipBytes(2);
                yield new Bulk(bytes);
            }
            case '*' -> {
                long n = RespScanner.parseLong(buf, lineStart, cr);
                if (n < 0) {
                    yield new Array(null);
                }
                List<RespValue> items = new ArrayList<>((int) n);
                for (int i = 0; i < n; i++) {
                    items.add(read(buf));
                }
                yield new Array(items);
            }
            default -> throw new RespProtocolException("unexpected byte '" + RespScanner.printable(type) + "'");
        };
    }

    /** Decodes one complete value from the readable bytes of {@code buf}, without moving its reader index. */
    static RespValue decode(ByteBuf buf) {
        return read(buf.duplicate());
    }

    static RespValue of(byte[] bytes) {
        return decode(io.netty.buffer.Unpooled.wrappedBuffer(bytes));
    }
}
