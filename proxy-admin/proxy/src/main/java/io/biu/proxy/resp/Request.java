package io.biu.proxy.resp;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A client's command as it arrived: its bytes (forwarded as they are whenever one node can run it whole)
 * and where each argument lies in them. The request owns one reference to {@link #raw()}.
 */
public final class Request {

    private final ByteBuf raw;
    private final int[] starts;
    private final int[] lengths;
    private String name;

    Request(ByteBuf raw, int[] starts, int[] lengths) {
        this.raw = raw;
        this.starts = starts;
        this.lengths = lengths;
    }

    public ByteBuf raw() {
        return raw;
    }

    public int argc() {
        return starts.length;
    }

    /** The command's name, upper case. */
    public String name() {
        if (name == null) {
            name = raw.toString(starts[0], lengths[0], StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT);
        }
        return name;
    }

    public byte[] arg(int i) {
        byte[] bytes = new byte[lengths[i]];
        raw.getBytes(starts[i], bytes);
        return bytes;
    }

    public String argText(int i) {
        return raw.toString(starts[i], lengths[i], StandardCharsets.UTF_8);
    }

    /** Argument {@code i}, ignoring ASCII case, equals {@code word}. */
    public boolean argIs(int i, String word) {
        if (i >= starts.length || lengths[i] != word.length()) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            int b = raw.getByte(starts[i] + k);
            if (Character.toUpperCase(b) != Character.toUpperCase(word.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    /** A hash of argument {@code i} that ignores ASCII case: {@link #hashIgnoringCase(String)} of it in any case. */
    public int argHashIgnoringCase(int i) {
        int h = 0;
        for (int k = starts[i], end = starts[i] + lengths[i]; k < end; k++) {
            h = 31 * h + upper(raw.getByte(k));
        }
        return h;
    }

    /** The hash {@link #argHashIgnoringCase(int)} gives an argument that is {@code word} in any ASCII case. */
    public static int hashIgnoringCase(String word) {
        int h = 0;
        for (int k = 0; k < word.length(); k++) {
            h = 31 * h + upper(word.charAt(k));
        }
        return h;
    }

    private static int upper(int c) {
        return c >= 'a' && c <= 'z' ? c - ('a' - 'A') : c;
    }

    public long argLong(int i) {
        return RespScanner.parseLong(raw, starts[i], starts[i] + lengths[i]);
    }

    /** The hash slot of argument {@code i} taken as a key. */
    public int slot(int i) {
        return Slots.slot(raw, starts[i], lengths[i]);
    }

    /** Writes argument {@code i} as a bulk string to {@code out}. */
    public void writeArg(ByteBuf out, int i) {
        Resp.writeBulk(out, raw, starts[i], lengths[i]);
    }

    public int argLength(int i) {
        return lengths[i];
    }

    public void release() {
        raw.release();
    }
}
