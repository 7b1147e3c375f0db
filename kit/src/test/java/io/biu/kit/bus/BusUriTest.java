package io.biu.kit.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisURI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BusUriTest {

    @Test
    void aUserAndItsPasswordFromItsFileAndNothingOfItInTheUriText(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("bus.password"), "s3cret\n");
        RedisURI bus = BusUri.of("redis://127.0.0.1:6390", "biu-relay", file.toString());
        RedisCredentials credentials = bus.getCredentialsProvider().resolveCredentials().block();
        assertEquals("biu-relay", credentials.getUsername());
        assertEquals("s3cret", new String(credentials.getPassword()));
        assertEquals(6390, bus.getPort());
        assertFalse(bus.toString().contains("s3cret"), bus.toString());
    }

    @Test
    void withoutAUserTheUriAsGivenAndAUserWithoutAPasswordIsRefused(@TempDir Path dir) throws Exception {
        RedisURI plain = BusUri.of("redis://127.0.0.1:6390", "", null);
        assertNull(plain.getCredentialsProvider().resolveCredentials().block().getUsername());
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> BusUri.of("redis://127.0.0.1:6390", "biu-relay", "")).getMessage().contains("password-file"));
        Path empty = Files.writeString(dir.resolve("empty"), "");
        assertThrows(IllegalArgumentException.class,
                () -> BusUri.of("redis://127.0.0.1:6390", "biu-relay", empty.toString()));
        assertThrows(java.io.UncheckedIOException.class,
                () -> BusUri.of("redis://127.0.0.1:6390", "biu-relay", dir.resolve("missing").toString()));
    }
}
