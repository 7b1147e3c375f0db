package io.biu.proxy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.kit.secret.TlsIdentity;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PemTest {

    private static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");
    private static final TlsIdentity CA = TlsIdentity.selfSigned("biu-ca", NOW, Duration.ofDays(30));
    private static final TlsIdentity PROXY = CA.issue("proxy", List.of("10.0.0.7"), NOW, Duration.ofDays(7));

    @Test
    void aChainIsReadInOrderWithTheTextAroundItIgnored() {
        List<X509Certificate> chain = Pem.certificatesOnly("issued for a proxy\n" + PROXY.certificate()
                + "\r\n  \n" + CA.certificate().replace("\n", "\r\n") + "trailing words\n");
        assertEquals(List.of(PROXY.x509(), CA.x509()), chain);
    }

    @Test
    void theKeyIsReadBesideItsCertificate() {
        List<Pem.Block> blocks = Pem.blocks(PROXY.privateKey() + PROXY.certificate());
        assertEquals(List.of(Pem.PRIVATE_KEY, Pem.CERTIFICATE), blocks.stream().map(Pem.Block::type).toList());
        assertEquals(PROXY.key(), Pem.privateKey(blocks));
    }

    @Test
    void brokenBlocksAreRefusedSayingWhatIsWrong() {
        String cert = PROXY.certificate();
        assertMessage("no -----BEGIN CERTIFICATE----- block", () -> Pem.certificatesOnly("just text\n"));
        assertMessage("CERTIFICATE block has no END line",
                () -> Pem.certificatesOnly(cert.substring(0, cert.indexOf("-----END"))));
        assertMessage("CERTIFICATE block has no END line",
                () -> Pem.certificatesOnly(cert.substring(0, cert.indexOf("-----END")) + cert));
        assertMessage("ends with an END line of another type",
                () -> Pem.certificatesOnly(cert.replace("END CERTIFICATE", "END PRIVATE KEY")));
        assertMessage("not valid base64", () -> Pem.certificatesOnly(cert.replaceFirst("\n[A-Za-z0-9]", "\n%")));
        assertMessage("found a PRIVATE KEY block", () -> Pem.certificatesOnly(cert + PROXY.privateKey()));
        assertMessage("not an X.509 certificate",
                () -> Pem.certificatesOnly("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"));
    }

    /** A text made to make a backtracking parser take exponential time is read at once (in linear time). */
    @Test
    void aTextOfWhitespaceAndMarkersIsReadInOnePass() {
        String hostile = "-----BEGIN CERTIFICATE-----" + " \t".repeat(64 * 1024) + "\n"
                + "A".repeat(64 * 1024) + "\n";
        IllegalArgumentException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> assertThrows(IllegalArgumentException.class, () -> Pem.certificatesOnly(hostile)));
        assertTrue(e.getMessage().contains("no END line"), e.getMessage());
    }

    private static void assertMessage(String expected, Runnable parse) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, parse::run);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
