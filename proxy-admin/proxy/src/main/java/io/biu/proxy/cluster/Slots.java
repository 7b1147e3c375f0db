package io.biu.proxy.cluster;

import io.netty.buffer.ByteBuf;

/**
 * Redis Cluster's key to slot mapping: CRC16 (XMODEM) of the key, or of its hash tag (the bytes between the
 * first '{' and the next '}', if that is not empty), modulo 16384.
 */
public final class Slots {

    public static final int COUNT = 16384;
    private static final int[] TABLE = new int[256];

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

    /** The slot of the key of {@code length} bytes at {@code index} of {@code buf}. */
    public static int slot(ByteBuf buf, int index, int length) {
        int open = buf.indexOf(index, index + length, (byte) '{');
        if (open >= 0) {
            int close = buf.indexOf(open + 1, index + length, (byte) '}');
            if (close > open + 1) {
                return crc16(buf, open + 1, close - open - 1) & (COUNT - 1);
            }
        }
        return crc16(buf, index, length) & (COUNT - 1);
    }

    public static int slot(byte[] key) {
        return slot(io.netty.buffer.Unpooled.wrappedBuffer(key), 0, key.length);
    }

    static int crc16(ByteBuf buf, int index, int length) {
        int crc = 0;
        for (int i = index; i < index + length; i++) {
            crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ buf.getByte(i)) & 0xff]) & 0xffff;
        }
        return crc;
    }
}
