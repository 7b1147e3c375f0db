package io.biu.kit.info;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisInfoTest {

    @Test
    void readsFieldsAcrossSectionsAndSkipsHeadersAndBlankLines() {
        Map<String, String> fields = RedisInfo.fields("# Memory\r\nused_memory:1048576\r\nmaxmemory:0\r\n\r\n"
                + "# Keyspace\r\ndb0:keys=3,expires=0,avg_ttl=0\r\n");
        assertEquals("1048576", fields.get("used_memory"));
        assertEquals("0", fields.get("maxmemory"));
        assertEquals("keys=3,expires=0,avg_ttl=0", fields.get("db0"));
        assertFalse(fields.containsKey("# Memory"));
        assertEquals(3, fields.size());
    }

    @Test
    void aValueKeepsEverythingAfterTheFirstColonTrimmed() {
        Map<String, String> fields = RedisInfo.fields("executable:/usr/bin/redis-server\nconfig_file: /etc/redis:7.conf \n"
                + "no colon here\n:no field\n");
        assertEquals("/usr/bin/redis-server", fields.get("executable"));
        assertEquals("/etc/redis:7.conf", fields.get("config_file"));
        assertNull(fields.get(""));
        assertEquals(2, fields.size());
    }
}
