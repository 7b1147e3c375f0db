package io.biu.proxy.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SlotsTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static int slot(String key) {
        return Slots.slot(bytes(key));
    }

    /** CRC16 XMODEM bit by bit, as the Redis Cluster specification gives it. */
    private static int referenceCrc16(byte[] b, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) {
            crc ^= (b[i] & 0xff) << 8;
            for (int k = 0; k < 8; k++) {
                crc = ((crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1) & 0xffff;
            }
        }
        return crc;
    }

    /** keyHashSlot of the Redis Cluster specification. */
    private static int referenceSlot(byte[] key) {
        int open = -1;
        for (int i = 0; i < key.length && open < 0; i++) {
            open = key[i] == '{' ? i : -1;
        }
        if (open >= 0) {
            for (int close = open + 1; close < key.length; close++) {
                if (key[close] == '}') {
                    if (close > open + 1) {
                        return referenceCrc16(key, open + 1, close) & 16383;
                    }
                    break;
                }
            }
        }
        return referenceCrc16(key, 0, key.length) & 16383;
    }

    @Test
    void crc16IsXmodem() {
        assertEquals(0x31C3, Slots.crc16(bytes("123456789"), 0, 9));
        assertEquals(0, Slots.crc16(bytes("123456789"), 0, 0));
    }

    @Test
    void slotsOfKnownKeys() {
        assertEquals(12182, slot("foo"));
        assertEquals(5061, slot("bar"));
        assertEquals(866, slot("hello"));
        assertEquals(11058, slot("somekey"));
        assertEquals(2515, slot("foo{hash_tag}"));
        assertEquals(0, slot(""));
    }

    @Test
    void keysWithTheSameHashTagShareASlot() {
        int user = slot("user1000");
        assertEquals(user, slot("{user1000}.following"));
        assertEquals(user, slot("{user1000}.followers"));
        assertEquals(user, slot("x{user1000}"));
        assertEquals(slot("hash_tag"), slot("bar{hash_tag}"));
    }

    @Test
    void anEmptyHashTagHashesTheWholeKey() {
        assertEquals(Slots.crc16(bytes("foo{}{bar}"), 0, 10) & 16383, slot("foo{}{bar}"));
        assertNotEquals(slot("bar"), slot("foo{}{bar}"));
        assertEquals(referenceCrc16(bytes("{}"), 0, 2) & 16383, slot("{}"));
    }

    @Test
    void theTagRunsFromTheFirstOpeningBraceToTheNextClosingOne() {
        assertEquals(slot("{bar"), slot("foo{{bar}}zap"));
        assertEquals(slot("bar"), slot("foo{bar}{zap}"));
        assertEquals(slot("a"), slot("}{a}"));
    }

    @Test
    void aBraceWithoutItsPairHashesTheWholeKey() {
        for (String key : new String[] {"{", "}", "foo{bar", "foo}bar{", "}foo{"}) {
            assertEquals(referenceCrc16(bytes(key), 0, key.length()) & 16383, slot(key), key);
        }
    }

    @Test
    void binaryKeysHashEveryByte() {
        byte[] all = new byte[256];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        assertEquals(referenceSlot(all), Slots.slot(all));
        assertEquals(referenceSlot(new byte[] {(byte) 0xff}), Slots.slot(new byte[] {(byte) 0xff}));
        assertEquals(Slots.slot(new byte[] {(byte) 0x80, 1}),
                Slots.slot(new byte[] {'{', (byte) 0x80, 1, '}', (byte) 0xfe}));
    }

    @Test
    void slotsAgreeWithTheSpecificationOnRandomKeys() {
        Random random = new Random(16384);
        byte[] alphabet = bytes("ab{}\u0000\u00ff");
        for (int n = 0; n < 5000; n++) {
            byte[] key = new byte[random.nextInt(12)];
            for (int i = 0; i < key.length; i++) {
                key[i] = random.nextBoolean() ? alphabet[random.nextInt(alphabet.length)] : (byte) random.nextInt();
            }
            int slot = Slots.slot(key);
            assertEquals(referenceSlot(key), slot, Arrays.toString(key));
            assertTrue(slot >= 0 && slot < Slots.COUNT);
        }
    }

    @Test
    void keysLongerThanTheScratchBufferAndShortOnesAfterThemHashAlike() {
        for (int length : new int[] {255, 256, 257, 4096}) {
            byte[] key = new byte[length];
            Arrays.fill(key, (byte) 'k');
            key[length - 3] = '{';
            key[length - 2] = 'x';
            key[length - 1] = '}';
            assertEquals(referenceSlot(key), Slots.slot(Unpooled.wrappedBuffer(key), 0, length), "length " + length);
            Arrays.fill(key, length - 3, length, (byte) 'k');
            assertEquals(referenceSlot(key), Slots.slot(Unpooled.wrappedBuffer(key), 0, length), "length " + length);
            // a short key after a long one sees none of its bytes
            assertEquals(slot("foo"), Slots.slot(Unpooled.wrappedBuffer(bytes("foo")), 0, 3));
        }
    }

    @Test
    void theBufferVariantReadsOnlyTheKeysBytes() {
        Random random = new Random(7);
        String[] keys = {"foo", "{user1000}.following", "foo{}{bar}", "foo{{bar}}zap", "a}b", "x{", ""};
        for (String key : keys) {
            byte[] k = bytes(key);
            for (String around : new String[] {"", "{", "}", "{x}", "{}", "}{"}) {
                byte[] before = bytes(around + "pad" + around);
                byte[] after = bytes(around + "tail}" + around);
                ByteBuf b = Unpooled.buffer();
                b.writeBytes(before).writeBytes(k).writeBytes(after);
                b.readerIndex(random.nextInt(before.length + 1));
                assertEquals(Slots.slot(k), Slots.slot(b, before.length, k.length), key + " within " + around);
                assertEquals(referenceSlot(k), Slots.slot(b, before.length, k.length), key);
                b.release();
            }
        }
    }
}
