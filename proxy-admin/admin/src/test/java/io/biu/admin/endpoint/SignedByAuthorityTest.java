package io.biu.admin.endpoint;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.kit.secret.TlsIdentity;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.Test;

class SignedByAuthorityTest {

    private static final Instant NOW = Instant.now();
    private static final TlsIdentity AUTHORITY = TlsIdentity.selfSigned("authority", NOW.minus(Duration.ofDays(800)),
            Duration.ofDays(3650));
    private final X509TrustManager trust = (X509TrustManager) SignedByAuthority.factory(AUTHORITY.x509())
            .getTrustManagers()[0];

    @Test
    void aProxyWhoseFirstCertificateEndedIsStillReachable() {
        X509Certificate ended = AUTHORITY.issue("proxy", List.of(), NOW.minus(Duration.ofDays(400)),
                Duration.ofDays(365)).x509();
        assertTrue(ended.getNotAfter().toInstant().isBefore(NOW));
        assertDoesNotThrow(() -> trust.checkServerTrusted(new X509Certificate[] {ended}, "ECDHE_ECDSA"));
    }

    @Test
    void aCertificateOfAnotherAuthorityOrNoneIsRefused() {
        TlsIdentity other = TlsIdentity.selfSigned("authority", NOW, Duration.ofDays(30));
        X509Certificate forged = other.issue("proxy", List.of("10.0.0.1"), NOW, Duration.ofDays(1)).x509();
        CertificateException e = assertThrows(CertificateException.class,
                () -> trust.checkServerTrusted(new X509Certificate[] {forged}, "ECDHE_ECDSA"));
        assertTrue(e.getMessage().contains("not signed by proxy-admin's authority"), e.getMessage());
        assertThrows(CertificateException.class,
                () -> trust.checkServerTrusted(new X509Certificate[] {other.x509()}, "ECDHE_ECDSA"));
        assertThrows(CertificateException.class, () -> trust.checkServerTrusted(new X509Certificate[0], "ECDHE_ECDSA"));
        assertThrows(CertificateException.class,
                () -> trust.checkClientTrusted(new X509Certificate[] {AUTHORITY.x509()}, "ECDHE_ECDSA"));
    }
}
