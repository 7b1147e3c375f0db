package io.biu.proxy.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a client's byte stream into {@link Request}s: RESP arrays of bulk strings as clients send them, and
 * inline commands as typed into a terminal. A request that is not complete yet is left in the buffer for the
 * next read (only its headers are scanned again, never the bulk contents). Limits keep a client from making
 * the proxy buffer without end.
 */
public final class RequestParser {

    private static final int MAX_INLINE = 64 * 1024;
    /** What an empty command (consumed, and skipped) parses to. */
    private static final Request SKIP = new Request(Unpooled.EMPTY_BUFFER, new int[0], new int[0]);

    private long maxRequestBytes;
    private int maxArgs;

    public RequestParser(long maxRequestBytes, int maxArgs) {
        limits(maxRequestBytes, maxArgs);
    }

    /** The limits for the requests parsed from now on (tighter before a client authenticated). */
    public void limits(long maxRequestBytes, int maxArgs) {
        this.maxRequestBytes = maxRequestBytes;
        this.maxArgs = maxArgs;
    }

    /**
     * The next complete request in {@code buf} (which then reads past it), or {@code null} if there is none
     * yet. Empty commands are skipped.
     *
     * @throws RespProtocolException for bytes that are not a command, or a command beyond the limits
     */
    public Request next(ByteBuf buf) {
        while (buf.isReadable()) {
            int from = buf.readerIndex();
            int to = buf.writerIndex();
            Request r = buf.getByte(from) == '*' ? multibulk(buf, from, to) : inline(buf, from, to);
            if (r != SKIP) {
                return r;
            }
        }
        return null;
    }

    private Request multibulk(ByteBuf buf, int from, int to) {
        int cr = RespScanner.lineEnd(buf, from + 1, Math.min(to, from + 32));
        if (cr < 0) {
            if (to - from >= 32) {
                throw new RespProtocolException("invalid multibulk length");
            }
            return null;
        }
        long argc = RespScanner.parseLong(buf, from + 1, cr);
        if (argc > maxArgs) {
            throw new RespProtocolException("too many arguments (" + argc + "; at most " + maxArgs + ")");
        }
        if (argc <= 0) {
            buf.readerIndex(cr + 2);
            return SKIP;
        }
        int n = (int) argc;
        int[] starts = new int[n];
        int[] lengths = new int[n];
        int i = cr + 2;
        for (int k = 0; k < n; k++) {
            if (i >= to) {
                return null;
            }
            byte type = buf.getByte(i);
            if (type != '$') {
                throw new RespProtocolException("expected '$', got '" + RespScanner.printable(type) + "'");
            }
            cr = RespScanner.lineEnd(buf, i + 1, Math.min(to, i + 32));
            if (cr < 0) {
                if (to - i >= 32) {
                    throw new RespProtocolException("invalid bulk length");
                }
                return null;
            }
            long length = RespScanner.parseLong(buf, i + 1, cr);
            if (length < 0 || length > maxRequestBytes - (cr + 4 - from)) {
                throw new RespProtocolException(length < 0 ? "invalid bulk length"
                        : "request larger than " + maxRequestBytes + " bytes");
            }
            starts[k] = cr + 2 - from;
            lengths[k] = (int) length;
            long next = cr + 2 + length + 2;
            if (next > to) {
                return null;
            }
            i = (int) next;
            if (buf.getByte(i - 2) != '\r' || buf.getByte(i - 1) != '\n') {
                throw new RespProtocolException("a bulk string does not end in CRLF");
            }
        }
        ByteBuf raw = buf.retainedSlice(from, i - from);
        buf.readerIndex(i);
        return new Request(raw, starts, lengths);
    }

    /** A line of words separated by spaces, as {@code telnet} or {@code nc} send; encoded as RESP. */
    private Request inline(ByteBuf buf, int from, int to) {
        long maxLine = Math.min(MAX_INLINE, maxRequestBytes);
        int lf = buf.indexOf(from, (int) Math.min(to, from + maxLine), (byte) '\n');
        if (lf < 0) {
            if (to - from >= maxLine) {
                throw new RespProtocolException("too big inline request");
            }
            return null;
        }
        int end = lf > from && buf.getByte(lf - 1) == '\r' ? lf - 1 : lf;
        List<byte[]> words = new ArrayList<>();
        int w = -1;
        for (int i = from; i <= end; i++) {
            boolean space = i == end || buf.getByte(i) == ' ' || buf.getByte(i) == '\t';
            if (space && w >= 0) {
                byte[] word = new byte[i - w];
                buf.getBytes(w, word);
                words.add(word);
                w = -1;
            } else if (!space && w < 0) {
                w = i;
            }
        }
        if (words.size() > maxArgs || lf + 1 - from > maxRequestBytes) {
            throw new RespProtocolException(words.size() > maxArgs ? "too many arguments (" + words.size()
                    + "; at most " + maxArgs + ")" : "request larger than " + maxRequestBytes + " bytes");
        }
        buf.readerIndex(lf + 1);
        if (words.isEmpty()) {
            return SKIP;
        }
        ByteBuf raw = Resp.command(buf.alloc(), words);
        // the arguments' places in the encoding just made
        int[] starts = new int[words.size()];
        int[] lengths = new int[words.size()];
        int i = raw.indexOf(0, raw.writerIndex(), (byte) '\n') + 1;
        for (int k = 0; k < words.size(); k++) {
            int cr = raw.indexOf(i, raw.writerIndex(), (byte) '\r');
            starts[k] = cr + 2;
            lengths[k] = words.get(k).length;
            i = cr + 2 + lengths[k] + 2;
        }
        return new Request(raw, starts, lengths);
    }

}
