package io.biu.proxy.resp;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * Redis Cluster's key to slot mapping: CRC16 (XMODEM) of the key, or of its hash tag (the bytes between the
 * first '{' and the next '}', if that is not empty), modulo 16384.
 */
public final class Slots {

    public static final int COUNT = 16384;
    private static final int[] TABLE = new int[256];
    /** Keys up to this long are copied into a buffer of the thread's own, longer ones into a new array. */
    private static final int SCRATCH_BYTES = 256;
    private static final FastThreadLocal<byte[]> SCRATCH = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[SCRATCH_BYTES];
        }
    };

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i << 8;
            for (int b = 0; b < 8; b++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            TABLE[i] = crc & 0xffff;
        }
    }

    private Slots() {
    }

    /**
     * The slot of the key of {@code length} bytes at {@code index} of {@code buf}. The key is copied out once and
     * scanned as an array: reading a buffer byte by byte checks its bounds and reference count at every byte,
     * which cost more than the CRC itself on every command.
     */
    public static int slot(ByteBuf buf, int index, int length) {
        byte[] key = length <= SCRATCH_BYTES ? SCRATCH.get() : new byte[length];
        buf.getBytes(index, key, 0, length);
        return slot(key, length);
    }

    public static int slot(byte[] key) {
        return slot(key, key.length);
    }

    /** The slot of the first {@code length} bytes of {@code key}. */
    private static int slot(byte[] key, int length) {
        int open = indexOf(key, 0, length, (byte) '{');
        if (open >= 0) {
            int close = indexOf(key, open + 1, length, (byte) '}');
            if (close > open + 1) {
                return crc16(key, open + 1, close) & (COUNT - 1);
            }
        }
        return crc16(key, 0, length) & (COUNT - 1);
    }

    private static int indexOf(byte[] bytes, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /** CRC16 (XMODEM) of {@code bytes} from {@code from} up to {@code to} (exclusive). */
    static int crc16(byte[] bytes, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) {
            crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ bytes[i]) & 0xff]) & 0xffff;
        }
        return crc;
    }
}
