package io.biu.proxy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The proxy's settings file: defaults that fit its 96 MiB of direct memory, and settings that contradict. */
class ProxyConfigTest {

    private static Properties settings(String... pairs) {
        Properties p = new Properties();
        p.setProperty("seeds", "10.0.0.1:6379");
        for (int i = 0; i < pairs.length; i += 2) {
            p.setProperty(pairs[i], pairs[i + 1]);
        }
        return p;
    }

    @Test
    void aClientsUnreadRepliesAreBoundedWellInsideTheDirectMemory() {
        ProxyConfig c = ProxyConfig.of(settings());
        assertEquals(4L << 20, c.clientBufferBytes());
        assertEquals(32L << 20, c.clientBufferHardBytes());
        assertTrue(c.clientBufferHardBytes() < 96L << 20);
    }

    @Test
    void aCommandsReplyDeadlineIsTheClustersNodeTimeoutPlusTheRetryWindow() {
        assertEquals(Duration.ofSeconds(25), ProxyConfig.of(settings()).replyDeadline(),
                "Redis's default cluster-node-timeout, 15 s, and the retry window, 10 s");
        assertEquals(Duration.ofMillis(2500), ProxyConfig.of(settings("node-timeout-ms", "2000", "retry-window-ms",
                "500")).replyDeadline());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProxyConfig.of(
                settings("node-timeout-ms", "0")));
        assertEquals("node-timeout-ms (0) must be positive: give the cluster's cluster-node-timeout", e.getMessage());
    }

    @Test
    void aHardLimitBelowTheSoftOneIsRefusedWithBothNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProxyConfig.of(
                settings("client-buffer-bytes", "1000", "client-buffer-hard-bytes", "999")));
        assertEquals("client-buffer-hard-bytes (999) must be at least client-buffer-bytes (1000)", e.getMessage());
    }
}
