package io.biu.proxy.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.kit.secret.TlsIdentity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy's settings file: defaults that fit its 96 MiB of direct memory, settings that contradict, and the TLS
 * file, read with the settings and refused with its name and what is wrong in it.
 */
class ProxyConfigTest {

    private static final Instant NOW = Instant.now();
    private static final TlsIdentity CA = TlsIdentity.selfSigned("biu-ca", NOW, Duration.ofDays(30));
    private static final TlsIdentity PROXY = CA.issue("proxy", List.of("10.0.0.9"), NOW, Duration.ofDays(7));

    @TempDir
    Path dir;

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

    @Test
    void withoutATlsFileTheProxyServesPlainTcp() {
        assertNull(ProxyConfig.of(settings()).tls());
        assertNull(ProxyConfig.of(settings("tls.file", "")).tls());
        assertNull(ProxyConfig.of(settings("tls.file", "  ")).tls());
    }

    @Test
    void aTlsFileIsReadWithTheSettingsItsChainInOrderAndKeptOnAnotherPort() throws IOException {
        Path file = write("tls.pem", PROXY.certificate() + CA.certificate() + PROXY.privateKey());
        ProxyConfig c = ProxyConfig.of(settings("tls.file", file.toString()));
        assertEquals(file, c.tls().file());
        assertEquals(List.of(PROXY.x509(), CA.x509()), c.tls().chain());
        assertArrayEquals(PROXY.key().getEncoded(), c.tls().key().getEncoded());
        assertSame(c.tls(), c.onPort(7000).tls());
        assertFalse(c.tls().toString().contains(keyLine(PROXY)), "the key is never printed");
    }

    @Test
    void aMissingOrUnfitTlsFileIsRefusedWithItsNameAndWhatIsWrong() throws IOException {
        TlsIdentity other = CA.issue("other", List.of("10.0.0.9"), NOW, Duration.ofDays(7));
        String key = PROXY.privateKey();
        assertTlsRefused(dir.resolve("absent.pem"), "no such file");
        assertTlsRefused(write("cert.pem", PROXY.certificate()),
                "expected one -----BEGIN PRIVATE KEY----- block, found 0");
        assertTlsRefused(write("key.pem", key), "holds no certificate");
        assertTlsRefused(write("twokeys.pem", PROXY.pem() + other.privateKey()),
                "expected one -----BEGIN PRIVATE KEY----- block, found 2");
        assertTlsRefused(write("other.pem", PROXY.certificate() + other.privateKey()),
                "the private key is not the one of the certificate (CN=proxy)");
        assertTlsRefused(write("sec1.pem", PROXY.certificate() + key.replace("PRIVATE KEY", "EC PRIVATE KEY")),
                "the key is in a EC PRIVATE KEY block: give it as an unencrypted PKCS#8 key");
        assertTlsRefused(write("bad.pem", PROXY.certificate() + "-----BEGIN PRIVATE KEY-----\nAAAA\n"
                + "-----END PRIVATE KEY-----\n"), "the private key is not a PKCS#8 EC or RSA key");
        assertTlsRefused(write("badcert.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n" + key),
                "not an X.509 certificate");
    }

    private void assertTlsRefused(Path file, String what) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProxyConfig.of(settings("tls.file", file.toString())));
        assertTrue(e.getMessage().startsWith("tls.file " + file + ": " + what), e.getMessage());
        assertFalse(e.getMessage().contains(keyLine(PROXY)), "the key is never printed");
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    /** A line of the key's base64, to look for where it must not be. */
    private static String keyLine(TlsIdentity identity) {
        return identity.privateKey().split("\n")[2];
    }
}
