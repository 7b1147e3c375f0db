package io.biu.proxy.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.biu.kit.secret.TlsIdentity;
import io.biu.proxy.Transport;
import io.biu.proxy.cluster.SlotTable;
import io.biu.proxy.resp.RespValue;
import io.biu.proxy.resp.Slots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A proxy serving TLS on real sockets, in front of a {@link FakeCluster}, with a certificate that proxy-admin's CA
 * signed for 127.0.0.1: a client that trusts the CA and checks the name it connected to gets through; plain text, a
 * client that trusts another CA, and a connection that never starts its handshake do not. proxy-admin, and nobody
 * else, replaces the certificate ({@code BIUPROXY CERT}) with one for the same key: new connections get it, open
 * ones keep theirs.
 */
class TlsTest {

    private static final String PASSWORD = "s3cret";
    private static final String ADMIN_PASSWORD = "4dmin";
    private static final String OTHER_ADDRESS = "10.11.12.13";
    private static final Instant NOW = Instant.now();
    private static final TlsIdentity CA = TlsIdentity.selfSigned("biu-ca", NOW, Duration.ofDays(30));

    private final TlsIdentity identity = CA.issue("proxy", List.of("127.0.0.1"), NOW, Duration.ofDays(7));
    private final FakeCluster cluster = new FakeCluster();
    private final List<AutoCloseable> open = new ArrayList<>();
    private FakeCluster.Node master;
    @TempDir
    Path dir;

    @BeforeEach
    void cluster() throws IOException {
        master = cluster.node();
        cluster.view(List.of(new SlotTable.Range(0, Slots.COUNT - 1, master.address)));
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        cluster.close();
    }

    @Test
    void aClientThatTrustsTheCaAndChecksTheProxysAddressAuthenticatesAndReachesTheCluster() throws Exception {
        ProxyServer proxy = proxy();
        SSLSocket socket = handshake(proxy, trusting(CA), "127.0.0.1");
        assertEquals(identity.x509(), peer(socket));
        SocketClient client = client(socket);
        client.send(SessionFixture.command("AUTH", PASSWORD));
        assertEquals(new RespValue.Simple("OK"), client.reply());
        client.send(SessionFixture.command("SET", "k", "v"), SessionFixture.command("GET", "k"));
        assertEquals(new RespValue.Simple("OK"), client.reply());
        assertEquals("$v", client.reply());
        assertEquals("v", master.data.get("k"));

        client.send(SessionFixture.command("INFO"));
        String info = (String) client.reply();
        // BoringSSL, whose native library this platform has: without it, TLS would quietly cost several times more
        assertTrue(info.contains("# TLS\r\ntls:1\r\ntls_provider:openssl\r\ntls_certificate_not_after:"
                + identity.x509().getNotAfter().toInstant().getEpochSecond() + "\r\n"
                + "tls_certificate_names:127.0.0.1\r\n"), info);
    }

    @Test
    void aPlainTextClientGetsNoReplyAndIsClosed() throws Exception {
        ProxyServer proxy = proxy();
        Socket plain = SocketClient.connect(proxy.port());
        open.add(plain);
        plain.getOutputStream().write((SessionFixture.command("PING") + SessionFixture.command("AUTH", PASSWORD))
                .getBytes(StandardCharsets.UTF_8));
        byte[] read = readUntilClosed(plain, Duration.ofSeconds(5));
        assertFalse(read.length > 0 && "+-:$*".indexOf(read[0]) >= 0,
                "a RESP reply in plain text: " + new String(read, StandardCharsets.ISO_8859_1));
    }

    @Test
    void aClientThatTrustsAnotherCaOrChecksAnotherNameFailsTheHandshake() throws Exception {
        ProxyServer proxy = proxy();
        TlsIdentity otherCa = TlsIdentity.selfSigned("other-ca", NOW, Duration.ofDays(30));
        assertThrows(SSLException.class, () -> handshake(proxy, trusting(otherCa), "127.0.0.1"));
        assertThrows(SSLException.class, () -> handshake(proxy, trusting(CA), OTHER_ADDRESS));

        SocketClient client = client(handshake(proxy, trusting(CA), "127.0.0.1"));
        client.send(SessionFixture.command("AUTH", PASSWORD));
        assertEquals(new RespValue.Simple("OK"), client.reply(), "the proxy still serves the right clients");
    }

    @Test
    void aConnectionThatNeverStartsItsHandshakeHoldsAnUnauthenticatedPlaceAndIsClosedWithinTheAuthTimeout()
            throws Exception {
        ProxyServer proxy = proxy("auth-timeout-ms", "1000", "max-unauthenticated-per-source", "1");
        long start = System.nanoTime();
        Socket silent = SocketClient.connect(proxy.port());
        open.add(silent);

        // the silent connection holds the one place of its source: a client from there is refused meanwhile, closed
        // before its handshake, which the proxy does not pay for
        assertThrows(IOException.class, () -> handshake(proxy, trusting(CA), "127.0.0.1"));

        byte[] read = readUntilClosed(silent, Duration.ofSeconds(5));
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMillis >= 900 && tookMillis < 2500, "closed after " + tookMillis + " ms");
        assertFalse(read.length > 0 && "+-:$*".indexOf(read[0]) >= 0, "a RESP reply in plain text");

        // the place is given back as the proxy's side of the connection goes inactive, just after it closed
        await("the place is free again").atMost(Duration.ofSeconds(2)).until(() -> {
            SocketClient client = client(handshake(proxy, trusting(CA), "127.0.0.1"));
            client.send(SessionFixture.command("AUTH", PASSWORD));
            return new RespValue.Simple("OK").equals(client.reply());
        });
    }

    @Test
    void proxyAdminReplacesTheCertificateForNewConnectionsWhileOpenOnesKeepTheirs() throws Exception {
        ProxyServer proxy = proxy();
        SSLSocket before = handshake(proxy, trusting(CA), "127.0.0.1");
        SocketClient old = client(before);
        old.send(SessionFixture.command("AUTH", PASSWORD));
        assertEquals(new RespValue.Simple("OK"), old.reply());
        assertThrows(SSLException.class, () -> handshake(proxy, trusting(CA), OTHER_ADDRESS),
                "the first certificate does not name the other address");

        String next = CA.certify(identity.x509().getPublicKey(), "proxy", List.of(OTHER_ADDRESS), NOW,
                Duration.ofDays(10));
        SocketClient admin = admin(client(handshake(proxy, trusting(CA), "127.0.0.1")));
        admin.send(SessionFixture.command("BIUPROXY", "CERT", next));
        assertEquals(new RespValue.Simple("OK"), admin.reply());

        SSLSocket after = handshake(proxy, trusting(CA), OTHER_ADDRESS);
        assertEquals(TlsIdentity.certificate(next), peer(after));
        SocketClient client = client(after);
        client.send(SessionFixture.command("AUTH", PASSWORD), SessionFixture.command("SET", "k", "new"));
        assertEquals(new RespValue.Simple("OK"), client.reply());
        assertEquals(new RespValue.Simple("OK"), client.reply());
        assertThrows(SSLException.class, () -> handshake(proxy, trusting(CA), "127.0.0.1"),
                "the old name is no longer served");

        old.send(SessionFixture.command("GET", "k"));
        assertEquals("$new", old.reply(), "an open connection keeps working");
        assertEquals(identity.x509(), peer(before));

        admin.send(SessionFixture.command("INFO"));
        String info = (String) admin.reply();
        assertTrue(info.contains("tls_certificate_not_after:"
                + TlsIdentity.certificate(next).getNotAfter().toInstant().getEpochSecond() + "\r\n"
                + "tls_certificate_names:" + OTHER_ADDRESS + "\r\n"), info);
    }

    @Test
    void aCertificateForAnotherKeyGarbageAnExpiredOneOrOneFromAClientIsRefused() throws Exception {
        ProxyServer proxy = proxy();
        SocketClient admin = admin(client(handshake(proxy, trusting(CA), "127.0.0.1")));
        String otherKeys = CA.issue("other", List.of(OTHER_ADDRESS), NOW, Duration.ofDays(1)).certificate();
        assertRefused(admin, otherKeys, "ERR BIUPROXY CERT: the certificate (CN=other) is not for this proxy's key");
        assertRefused(admin, "hello", "ERR BIUPROXY CERT: not a PEM certificate (no -----BEGIN CERTIFICATE----- "
                + "block)");
        assertRefused(admin, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
                "ERR BIUPROXY CERT: not an X.509 certificate");
        String expired = CA.certify(identity.x509().getPublicKey(), "proxy", List.of(OTHER_ADDRESS),
                NOW.minus(Duration.ofDays(3)), Duration.ofDays(1));
        assertRefused(admin, expired, "ERR BIUPROXY CERT: the certificate expired at "
                + TlsIdentity.certificate(expired).getNotAfter().toInstant());
        assertRefused(admin, identity.pem(), "ERR BIUPROXY CERT: expected PEM certificates only, found a PRIVATE "
                + "KEY block");
        admin.send(SessionFixture.command("BIUPROXY", "CERT"));
        RespValue.Error usage = assertInstanceOf(RespValue.Error.class, admin.reply());
        assertTrue(usage.message().contains(" or CERT <PEM certificate>"), usage.message());

        String fit = CA.certify(identity.x509().getPublicKey(), "proxy", List.of(OTHER_ADDRESS), NOW,
                Duration.ofDays(1));
        SocketClient client = client(handshake(proxy, trusting(CA), "127.0.0.1"));
        client.send(SessionFixture.command("AUTH", PASSWORD), SessionFixture.command("BIUPROXY", "CERT", fit));
        assertEquals(new RespValue.Simple("OK"), client.reply());
        assertEquals(new RespValue.Error("ERR unknown or unsupported command 'BIUPROXY': the Biu proxy does not "
                + "run it"), client.reply());

        admin.send(SessionFixture.command("INFO"));
        String info = (String) admin.reply();
        assertTrue(info.contains("tls_certificate_names:127.0.0.1\r\n"), info);
        assertEquals(identity.x509(), peer(handshake(proxy, trusting(CA), "127.0.0.1")), "still the first certificate");
    }

    @Test
    void aProxyWithoutTlsHasNoCertificateToReplace() throws Exception {
        ProxyServer proxy = proxy("tls.file", "");
        SocketClient admin = admin(client(proxy.port()));
        String cert = CA.certify(identity.x509().getPublicKey(), "proxy", List.of("127.0.0.1"), NOW,
                Duration.ofDays(1));
        assertRefused(admin, cert, "ERR BIUPROXY CERT: the proxy serves no TLS (its settings have no tls.file)");
        admin.send(SessionFixture.command("INFO"));
        String info = (String) admin.reply();
        assertTrue(info.contains("# TLS\r\ntls:0\r\n") && !info.contains("tls_certificate"), info);
    }

    private static void assertRefused(SocketClient admin, String pem, String error) throws IOException {
        admin.send(SessionFixture.command("BIUPROXY", "CERT", pem));
        RespValue.Error refused = assertInstanceOf(RespValue.Error.class, admin.reply());
        assertTrue(refused.message().startsWith(error), refused.message());
    }

    /** {@code client}, authenticated as proxy-admin: a challenge, answered with its HMAC. */
    private static SocketClient admin(SocketClient client) throws IOException {
        client.send(SessionFixture.command("BIUPROXY", "CHALLENGE"));
        byte[] challenge = HexFormat.of().parseHex(((String) client.reply()).substring(1));
        client.send(SessionFixture.command("AUTH", Access.ADMIN_USER,
                new String(AccessTest.proof(ADMIN_PASSWORD, challenge), StandardCharsets.US_ASCII)));
        assertEquals(new RespValue.Simple("OK"), client.reply());
        return client;
    }

    /**
     * A TLS connection to the proxy (on 127.0.0.1) whose handshake is done, by a client that trusts {@code trust}
     * and checks that the certificate names {@code name}, as if it had connected to that address.
     */
    private SSLSocket handshake(ProxyServer proxy, SSLContext trust, String name) throws IOException {
        Socket plain = SocketClient.connect(proxy.port());
        open.add(plain);
        SSLSocket socket = (SSLSocket) trust.getSocketFactory().createSocket(plain, name, proxy.port(), true);
        open.add(socket);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(8000);
        socket.startHandshake();
        return socket;
    }

    private SocketClient client(SSLSocket socket) throws IOException {
        SocketClient client = new SocketClient(socket);
        open.add(client);
        return client;
    }

    private SocketClient client(int port) throws IOException {
        SocketClient client = new SocketClient(port);
        open.add(client);
        return client;
    }

    private static SSLContext trusting(TlsIdentity ca) throws GeneralSecurityException, IOException {
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        anchors.setCertificateEntry("ca", ca.x509());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(anchors);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    /** What {@code socket} reads until the proxy closes it; a failure if it is still open after {@code limit}. */
    private static byte[] readUntilClosed(Socket socket, Duration limit) throws IOException {
        socket.setSoTimeout((int) limit.toMillis());
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        try {
            int n;
            while ((n = in.read(chunk)) >= 0) {
                read.write(chunk, 0, n);
            }
        } catch (SocketTimeoutException e) {
            fail("the proxy did not close the connection within " + limit.toMillis() + " ms");
        } catch (SocketException reset) {
            // closed too, with a reset
        }
        return read.toByteArray();
    }

    /** A proxy with TLS (unless {@code settings} give an empty {@code tls.file}), passwords and an admin. */
    private ProxyServer proxy(String... settings) throws IOException, InterruptedException {
        Path file = dir.resolve("tls.pem");
        Files.writeString(file, identity.pem());
        Properties p = new Properties();
        p.setProperty("port", "0");
        p.setProperty("threads", "1");
        p.setProperty("seeds", master.address.toString());
        p.setProperty("passwords", Passwords.hash(PASSWORD));
        p.setProperty("admin.password", Passwords.hash(ADMIN_PASSWORD));
        p.setProperty("tls.file", file.toString());
        for (int i = 0; i < settings.length; i += 2) {
            p.setProperty(settings[i], settings[i + 1]);
        }
        ProxyServer proxy = new ProxyServer(ProxyConfig.of(p), Transport.detect());
        open.add(proxy);
        assertTrue(proxy.start(), "the proxy read the slot table");
        return proxy;
    }

    /** The certificate {@code socket}'s peer presented. */
    private static X509Certificate peer(SSLSocket socket) throws IOException {
        return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
}
