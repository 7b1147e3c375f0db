package io.biu.kit.secret;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;

class TlsIdentityTest {

    private static final Instant NOW = Instant.parse("2026-12-06T00:00:00Z");

    @Test
    void aCertificateForBothEndsThatMaySignAndIsValidForItsTerm() throws Exception {
        TlsIdentity id = TlsIdentity.selfSigned("biu cluster team/orders", NOW, Duration.ofDays(3650));
        X509Certificate cert = certificate(id);
        assertEquals("CN=biu cluster team/orders", cert.getSubjectX500Principal().getName());
        assertEquals(cert.getSubjectX500Principal(), cert.getIssuerX500Principal());
        cert.verify(cert.getPublicKey());
        assertTrue(cert.getBasicConstraints() >= 0, "may sign");
        assertEquals(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"), cert.getExtendedKeyUsage());
        assertEquals(NOW.minus(Duration.ofHours(1)), cert.getNotBefore().toInstant());
        assertEquals(NOW.plus(Duration.ofDays(3650)), cert.getNotAfter().toInstant());
        assertEquals("EC", key(id).getAlgorithm());
        assertEquals(id, TlsIdentity.parse(id.pem()));
        assertFalse(id.toString().contains("PRIVATE"), id.toString());
        assertThrows(IllegalArgumentException.class, () -> TlsIdentity.parse(id.certificate()));
    }

    @Test
    void holdersOfOneIdentityShakeHandsAndAnyOtherIsRefused() throws Exception {
        TlsIdentity cluster = TlsIdentity.selfSigned("biu cluster a", Instant.now(), Duration.ofDays(1));
        TlsIdentity stranger = TlsIdentity.selfSigned("biu cluster a", Instant.now(), Duration.ofDays(1));
        assertEquals("hello", exchange(cluster, cluster));
        // the same name, another key: refused both ways, as client and as server
        assertThrows(Exception.class, () -> exchange(cluster, stranger));
        assertThrows(Exception.class, () -> exchange(stranger, cluster));
    }

    @Test
    void aServerCertificateIssuedByTheAuthorityIsTrustedForItsNamesAlone() throws Exception {
        TlsIdentity ca = TlsIdentity.selfSigned("biu endpoints", NOW, Duration.ofDays(3650));
        TlsIdentity server = ca.issue("endpoint 7", List.of("127.0.0.1", "endpoint-7.biu", "fd00::5"), NOW,
                Duration.ofDays(365));
        X509Certificate cert = server.x509();
        cert.verify(ca.x509().getPublicKey());
        assertEquals(ca.x509().getSubjectX500Principal(), cert.getIssuerX500Principal());
        assertEquals(-1, cert.getBasicConstraints(), "a server's certificate may not sign");
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), cert.getExtendedKeyUsage());
        assertEquals(List.of(List.of(7, "127.0.0.1"), List.of(2, "endpoint-7.biu"), List.of(7, "fd00:0:0:0:0:0:0:5")),
                cert.getSubjectAlternativeNames().stream().map(List::copyOf).toList());
        assertEquals(server.x509().getPublicKey(), TlsIdentity.certificate(server.certificate()).getPublicKey());

        // a new certificate for the same key, naming another address
        String renewed = ca.certify(cert.getPublicKey(), "endpoint 7", List.of("10.0.0.6"), NOW, Duration.ofDays(1));
        assertEquals(cert.getPublicKey(), TlsIdentity.certificate(renewed).getPublicKey());

        // a client that trusts the authority and checks the address: the named one passes, another does not
        assertEquals("hello", serve(server, ca, "127.0.0.1"));
        TlsIdentity elsewhere = ca.issue("endpoint 8", List.of("10.0.0.9"), NOW, Duration.ofDays(1));
        assertThrows(Exception.class, () -> serve(elsewhere, ca, "127.0.0.1"));
        // a certificate of another authority is refused whatever it names
        TlsIdentity other = TlsIdentity.selfSigned("biu endpoints", NOW, Duration.ofDays(1))
                .issue("endpoint 7", List.of("127.0.0.1"), NOW, Duration.ofDays(1));
        assertThrows(Exception.class, () -> serve(other, ca, "127.0.0.1"));
        assertThrows(IllegalArgumentException.class, () -> TlsIdentity.certificate("not pem"));
    }

    /** One line from a server holding {@code server} to a client trusting {@code ca} that checks the server's name. */
    private static String serve(TlsIdentity server, TlsIdentity ca, String host) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("me", server.key(), new char[0], new X509Certificate[] {server.x509()});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, new char[0]);
        SSLContext serverContext = SSLContext.getInstance("TLSv1.3");
        serverContext.init(keys.getKeyManagers(), null, null);
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        anchors.setCertificateEntry("ca", ca.x509());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(anchors);
        SSLContext clientContext = SSLContext.getInstance("TLSv1.3");
        clientContext.init(null, trust.getTrustManagers(), null);
        try (SSLServerSocket listener = (SSLServerSocket) serverContext.getServerSocketFactory().createServerSocket(0)) {
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    s.setSoTimeout(5_000);
                    s.getOutputStream().write("hello\n".getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                } catch (Exception ignored) {
                    // the client sees the refusal
                }
            });
            String line;
            try (SSLSocket s = (SSLSocket) clientContext.getSocketFactory().createSocket(host,
                    listener.getLocalPort())) {
                SSLParameters parameters = s.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                s.setSSLParameters(parameters);
                s.setSoTimeout(5_000);
                line = new String(s.getInputStream().readNBytes(5), StandardCharsets.US_ASCII);
            }
            served.get(5, TimeUnit.SECONDS);
            return line;
        }
    }

    /** One line from a client holding {@code client} to a server holding {@code server} that asks for a client's. */
    private static String exchange(TlsIdentity server, TlsIdentity client) throws Exception {
        try (SSLServerSocket listener = (SSLServerSocket) context(server).getServerSocketFactory()
                .createServerSocket(0)) {
            listener.setNeedClientAuth(true);
            CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    s.setSoTimeout(5_000);
                    OutputStream out = s.getOutputStream();
                    out.write("hello\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (Exception ignored) {
                    // the client sees the refusal
                }
            });
            String line;
            try (SSLSocket s = (SSLSocket) context(client).getSocketFactory().createSocket("127.0.0.1",
                    listener.getLocalPort())) {
                s.setSoTimeout(5_000);
                line = new String(s.getInputStream().readNBytes(5), StandardCharsets.US_ASCII);
            }
            served.get(5, TimeUnit.SECONDS);
            return line;
        }
    }

    private static SSLContext context(TlsIdentity id) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("me", key(id), new char[0], new X509Certificate[] {certificate(id)});
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, new char[0]);
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        anchors.setCertificateEntry("peer", certificate(id));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(anchors);
        SSLContext context = SSLContext.getInstance("TLSv1.3");
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    private static X509Certificate certificate(TlsIdentity id) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(id.certificate().getBytes(StandardCharsets.US_ASCII)));
    }

    private static PrivateKey key(TlsIdentity id) throws Exception {
        String body = id.privateKey().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    }
}
