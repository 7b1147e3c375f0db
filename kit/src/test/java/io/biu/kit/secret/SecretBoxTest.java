package io.biu.kit.secret;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretBoxTest {

    @TempDir
    Path dir;

    @Test
    void aSealedTextOpensOnlyWithItsKeyAndPurposeAndHidesItsValue() {
        SecretBox box = SecretBox.of(new byte[32]);
        String sealed = box.seal("cluster.password", "s3cret-password");
        assertTrue(sealed.startsWith(SecretBox.TEXT_MARK), sealed);
        assertFalse(sealed.contains("s3cret"), sealed);
        assertNotEquals(sealed, box.seal("cluster.password", "s3cret-password"), "a fresh nonce each time");
        assertEquals("s3cret-password", box.open("cluster.password", sealed));

        byte[] other = new byte[32];
        other[0] = 1;
        SecretBox.SealBroken wrongKey = assertThrows(SecretBox.SealBroken.class,
                () -> SecretBox.of(other).open("cluster.password", sealed));
        assertFalse(wrongKey.getMessage().contains("s3cret"), wrongKey.getMessage());
        assertThrows(SecretBox.SealBroken.class, () -> box.open("endpoint.admin_secret", sealed),
                "a value moved to another column does not open");
        String altered = sealed.substring(0, sealed.length() - 2) + (sealed.endsWith("A") ? "BB" : "AA");
        assertThrows(SecretBox.SealBroken.class, () -> box.open("cluster.password", altered));
    }

    @Test
    void valuesWrittenBeforeSealingOpenAsTheyAre() {
        SecretBox box = SecretBox.of(new byte[32]);
        assertEquals("plain", box.open("p", "plain"));
        assertArrayEquals(new byte[] {1, 2, 3}, box.open("p", new byte[] {1, 2, 3}));
        assertNull(box.seal("p", (String) null));
        assertNull(box.open("p", (byte[]) null));
    }

    @Test
    void sealedBytesHideTheirContent() {
        SecretBox box = SecretBox.of(new byte[32]);
        byte[] conf = "requirepass s3cret\n".getBytes(StandardCharsets.UTF_8);
        byte[] sealed = box.seal("app_file.content", conf);
        assertFalse(new String(sealed, StandardCharsets.ISO_8859_1).contains("s3cret"));
        assertArrayEquals(conf, box.open("app_file.content", sealed));
    }

    @Test
    void theKeyFileIsMadeOnceReadableByItsOwnerOnlyAndRefusedIfOthersCanRead() throws IOException {
        Path file = dir.resolve("secrets/service.key");
        SecretBox first = SecretBox.fromFile(file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        String sealed = first.seal("p", "v");
        assertEquals("v", SecretBox.fromFile(file).open("p", sealed), "the same key on the next start");

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        IllegalStateException open = assertThrows(IllegalStateException.class, () -> SecretBox.fromFile(file));
        assertTrue(open.getMessage().contains("make it mode 0600"), open.getMessage());

        Path bad = dir.resolve("bad.key");
        Files.writeString(bad, "not a key");
        Files.setPosixFilePermissions(bad, PosixFilePermissions.fromString("rw-------"));
        assertThrows(IllegalStateException.class, () -> SecretBox.fromFile(bad));
    }
}
