package io.biu.proxy.server;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The passwords a client may authenticate with, as SHA-256 hashes, each valid until an optional time (an
 * old password during a rotation's grace period). The proxy never holds the passwords themselves.
 */
public final class Passwords {

    private record Entry(byte[] hash, long untilMillis) {
    }

    private final List<Entry> entries;

    private Passwords(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** {@code hexhash[@untilEpochMillis],...}; empty: no password is needed. */
    public static Passwords parse(String text) {
        List<Entry> entries = new ArrayList<>();
        for (String item : text.split(",")) {
            item = item.trim();
            if (item.isEmpty()) {
                continue;
            }
            int at = item.indexOf('@');
            byte[] hash = HexFormat.of().parseHex(at < 0 ? item : item.substring(0, at));
            if (hash.length != 32) {
                throw new IllegalArgumentException("a password hash is 64 hex digits (SHA-256)");
            }
            entries.add(new Entry(hash, at < 0 ? Long.MAX_VALUE : Long.parseLong(item.substring(at + 1))));
        }
        return new Passwords(entries);
    }

    public boolean required() {
        return !entries.isEmpty();
    }

    public boolean accepts(byte[] password, long nowMillis) {
        byte[] hash = sha256(password);
        boolean ok = false;
        for (Entry e : entries) {
            // every entry is compared, in constant time, whatever matched before
            ok |= MessageDigest.isEqual(e.hash(), hash) && nowMillis < e.untilMillis();
        }
        return ok;
    }

    /**
     * Whether {@code proof} is HMAC-SHA256 of {@code challenge} keyed with one of the hashes: the proof of a holder of
     * the password (or of its hash) that never shows either, and is worth nothing for any other challenge.
     */
    public boolean acceptsProof(byte[] challenge, byte[] proof, long nowMillis) {
        boolean ok = false;
        for (Entry e : entries) {
            ok |= MessageDigest.isEqual(hmac(e.hash(), challenge), proof) && nowMillis < e.untilMillis();
        }
        return ok;
    }

    /** HMAC-SHA256 of {@code message} under {@code key}. */
    public static byte[] hmac(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String hash(String password) {
        return HexFormat.of().formatHex(sha256(password.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
