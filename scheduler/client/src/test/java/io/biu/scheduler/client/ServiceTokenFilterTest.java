package io.biu.scheduler.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceTokenFilterTest {

    @Test
    void aTokenReplacedInItsFileIsUsedFromTheNextCallOn(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("redis-ctl.token");
        Files.writeString(file, "biu_first\n");
        ServiceTokenFilter filter = new ServiceTokenFilter(file.toString());
        assertEquals("biu_first", filter.token());
        assertEquals("biu_first", filter.token());

        // as the set-up replaces it: a new file renamed over the old one
        Path next = dir.resolve("redis-ctl.token.tmp");
        Files.writeString(next, "biu_second\n");
        Files.setLastModifiedTime(next, FileTime.from(Instant.now().plusSeconds(5)));
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        assertEquals("biu_second", filter.token());

        // gone for a moment: the token last read stands in
        Files.delete(file);
        assertEquals("biu_second", filter.token());
    }
}
