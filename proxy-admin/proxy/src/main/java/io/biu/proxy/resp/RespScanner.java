package io.biu.proxy.resp;

import io.netty.buffer.ByteBuf;

/**
 * Finds where RESP2 values end in a buffer, without building them: the proxy forwards replies as the bytes
 * they arrived as, so all it needs is their bounds. Every method reads absolute indexes and never moves the
 * buffer's reader or writer index; "incomplete" is {@code -1}, and the caller scans again when more bytes
 * have arrived.
 */
public final class RespScanner {

    private RespScanner() {
    }

    /**
     * The index just past the value starting at {@code from}, or {@code -1} if the buffer does not hold all
     * of it before {@code to}.
     *
     * @throws RespProtocolException if the bytes are not RESP2
     */
    public static int end(ByteBuf buf, int from, int to) {
        long expected = 1; // values still to read: an array adds its elements
        int i = from;
        while (expected > 0) {
            if (i >= to) {
                return -1;
            }
            byte type = buf.getByte(i);
            int cr = lineEnd(buf, i + 1, to);
            if (cr < 0) {
                return -1;
            }
            expected--;
            switch (type) {
                case '+', '-', ':' -> i = cr + 2;
                case '$' -> {
                    long n = parseLong(buf, i + 1, cr);
                    if (n < -1 || n > Integer.MAX_VALUE) {
                        throw new RespProtocolException("invalid bulk length " + n);
                    }
                    i = n < 0 ? cr + 2 : (int) Math.min(Integer.MAX_VALUE, cr + 2 + n + 2);
                    if (i > to) {
                        return -1;
                    }
                }
                case '*' -> {
                    long n = parseLong(buf, i + 1, cr);
                    if (n < -1 || n > Integer.MAX_VALUE) {
                        throw new RespProtocolException("invalid multibulk length " + n);
                    }
                    expected += Math.max(0, n);
                    i = cr + 2;
                }
                default -> throw new RespProtocolException("unexpected byte '" + printable(type) + "'");
            }
        }
        return i;
    }

    /** The index of the {@code \r} of the first CRLF at or after {@code from}, or {@code -1}. */
    public static int lineEnd(ByteBuf buf, int from, int to) {
        int cr = buf.indexOf(from, to, (byte) '\r');
        if (cr < 0 || cr + 1 >= to) {
            return -1;
        }
        if (buf.getByte(cr + 1) != '\n') {
            throw new RespProtocolException("a line ends in CR without LF");
        }
        return cr;
    }

    /** The decimal number in {@code [from, to)}; one that does not fit in a long is refused. */
    public static long parseLong(ByteBuf buf, int from, int to) {
        if (from >= to || to - from > 20) {
            throw new RespProtocolException("invalid number");
        }
        boolean negative = buf.getByte(from) == '-';
        int i = negative ? from + 1 : from;
        if (i == to) {
            throw new RespProtocolException("invalid number");
        }
        // accumulated negatively, as Long.parseLong does, so that Long.MIN_VALUE fits too
        long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
        long n = 0;
        for (; i < to; i++) {
            byte b = buf.getByte(i);
            if (b < '0' || b > '9') {
                throw new RespProtocolException("invalid number");
            }
            int digit = b - '0';
            if (n < (limit + digit) / 10) {
                throw new RespProtocolException("invalid number");
            }
            n = n * 10 - digit;
        }
        return negative ? n : -n;
    }

    static String printable(byte b) {
        return b >= 32 && b < 127 ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xff);
    }
}
