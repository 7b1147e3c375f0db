package io.biu.kit.secret;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals values with AES-256-GCM under a key kept in a file only its owner reads (made on first use). A sealed value
 * carries a marker, a random 96-bit nonce and the tag; {@code purpose} (a column's name, say) is authenticated with
 * it, so a value copied into another column does not open. A value without the marker, written before sealing
 * began, opens as it is and is sealed on its next write.
 *
 * <p>The key is worth as much as every secret it seals: it is kept beside the database, never in it, and backed up
 * with it; a lost key leaves sealed values unreadable.
 */
public final class SecretBox {

    /** What a sealed text starts with. */
    public static final String TEXT_MARK = "sealed:v1:";
    private static final byte[] BYTES_MARK = "\0BIUSEALv1".getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey key;

    private SecretBox(byte[] key) {
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException("a key of " + KEY_BYTES + " bytes, not " + key.length);
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    /** A box with this key (tests). */
    public static SecretBox of(byte[] key) {
        return new SecretBox(key.clone());
    }

    /**
     * The box of a key file: read if it exists (it must be readable by its owner only), made (mode 0600, in a
     * directory of mode 0700 if that is new) with a random key if not.
     */
    public static SecretBox fromFile(Path file) {
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            if (mode.stream().anyMatch(p -> p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))) {
                throw new IllegalStateException("key file " + file + " is readable by others ("
                        + PosixFilePermissions.toString(mode) + "): make it mode 0600");
            }
            byte[] key = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
            return new SecretBox(key);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or make the key file " + file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("key file " + file + " does not hold a base64 key of " + KEY_BYTES
                    + " bytes", e);
        }
    }

    private static void create(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        byte[] key = new byte[KEY_BYTES];
        RANDOM.nextBytes(key);
        Path tmp = Files.createTempFile(dir, ".key", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII,
                StandardOpenOption.TRUNCATE_EXISTING);
        try {
            // two processes starting at once: the first key made is the one both use
            Files.createLink(file, tmp);
        } catch (FileAlreadyExistsException raced) {
            // the other one's
        } finally {
            Files.delete(tmp);
        }
    }

    /** {@code plain} sealed for {@code purpose}; null stays null. */
    public String seal(String purpose, String plain) {
        if (plain == null) {
            return null;
        }
        return TEXT_MARK + Base64.getEncoder().withoutPadding().encodeToString(
                encrypt(purpose, plain.getBytes(StandardCharsets.UTF_8)));
    }

    /** What {@link #seal} sealed for {@code purpose}; a value without the mark is returned as it is. */
    public String open(String purpose, String stored) {
        if (stored == null || !stored.startsWith(TEXT_MARK)) {
            return stored;
        }
        byte[] sealed;
        try {
            sealed = Base64.getDecoder().decode(stored.substring(TEXT_MARK.length()));
        } catch (IllegalArgumentException e) {
            throw new SealBroken(purpose, "not base64");
        }
        return new String(decrypt(purpose, sealed), StandardCharsets.UTF_8);
    }

    /** {@code plain} sealed for {@code purpose}; null stays null. */
    public byte[] seal(String purpose, byte[] plain) {
        if (plain == null) {
            return null;
        }
        byte[] sealed = encrypt(purpose, plain);
        return ByteBuffer.allocate(BYTES_MARK.length + sealed.length).put(BYTES_MARK).put(sealed).array();
    }

    /** What {@link #seal(String, byte[])} sealed; bytes without the mark are returned as they are. */
    public byte[] open(String purpose, byte[] stored) {
        if (stored == null || stored.length < BYTES_MARK.length
                || !Arrays.equals(stored, 0, BYTES_MARK.length, BYTES_MARK, 0, BYTES_MARK.length)) {
            return stored;
        }
        return decrypt(purpose, Arrays.copyOfRange(stored, BYTES_MARK.length, stored.length));
    }

    private byte[] encrypt(String purpose, byte[] plain) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    private byte[] decrypt(String purpose, byte[] sealed) {
        if (sealed.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new SealBroken(purpose, "too short");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
            cipher.updateAAD(purpose.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new SealBroken(purpose, "sealed under another key, for another purpose, or altered");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** A sealed value that does not open. Its message never holds the value. */
    public static final class SealBroken extends IllegalStateException {
        SealBroken(String purpose, String why) {
            super("a sealed " + purpose + " does not open: " + why);
        }
    }
}
