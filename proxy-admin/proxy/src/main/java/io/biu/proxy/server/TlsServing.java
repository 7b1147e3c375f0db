package io.biu.proxy.server;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;
import javax.net.ssl.SSLException;

/**
 * The TLS a proxy serves when its settings name a {@code tls.file}: the key, the proxy's for its whole life, and the
 * certificate it presents, which proxy-admin replaces ({@code BIUPROXY CERT}) once it knows the proxies' addresses,
 * with one for the same key that names them. A replacement applies to the connections accepted after it; open ones
 * keep the certificate they were handshaken with. Without a {@code tls.file}, the proxy serves plain TCP and there
 * is nothing to replace.
 *
 * <p>TLS is BoringSSL's (netty-tcnative) where its native library loads, which costs a fraction of the JDK's per
 * handshake and per record; the JDK's otherwise, with the same protocols.
 *
 * <p>A client has {@link ProxyConfig#authTimeout()} (at most {@link #MAX_HANDSHAKE}) to complete its handshake;
 * before that it is a connection like any other that has not authenticated (see {@link PreAuth}).
 */
final class TlsServing {

    static final Duration MAX_HANDSHAKE = Duration.ofSeconds(10);
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    /** OPENSSL, not OPENSSL_REFCNT: a replaced context's native state is freed when it is collected. */
    static final SslProvider PROVIDER = OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    private static final Logger LOG = Logger.getLogger(TlsServing.class.getName());

    /** The key ({@code null}: no TLS). */
    private final PrivateKey key;
    private final long handshakeTimeoutMillis;
    private volatile Served served;

    /** The context new connections are served with, and the certificates it presents. */
    private record Served(SslContext context, List<X509Certificate> chain) {
    }

    private TlsServing(TlsCredentials credentials, Duration handshakeTimeout) {
        this.key = credentials == null ? null : credentials.key();
        this.handshakeTimeoutMillis = handshakeTimeout.toMillis();
        if (credentials != null) {
            this.served = serve(credentials.chain());
        }
    }

    /** TLS with {@code config}'s credentials, or none if it has none. */
    static TlsServing of(ProxyConfig config) {
        TlsServing tls = new TlsServing(config.tls(),
                config.authTimeout().compareTo(MAX_HANDSHAKE) < 0 ? config.authTimeout() : MAX_HANDSHAKE);
        if (tls.on() && !tls.certificate().getNotAfter().toInstant().isAfter(Instant.now())) {
            LOG.warning(() -> "tls.file " + config.tls().file() + ": its certificate expired at "
                    + tls.certificate().getNotAfter().toInstant() + "; serving it until proxy-admin sends another");
        }
        return tls;
    }

    boolean on() {
        return key != null;
    }

    /** The certificate served to new connections. */
    X509Certificate certificate() {
        return served.chain().get(0);
    }

    /** The handler that makes a new connection TLS: the first of its pipeline. */
    SslHandler newHandler(ByteBufAllocator alloc) {
        SslHandler handler = served.context().newHandler(alloc);
        handler.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
        return handler;
    }

    /**
     * Serves {@code pem}, one certificate or a chain with the proxy's own first, to the connections accepted from now
     * on. Refused, with an {@link IllegalArgumentException} that says why: without TLS, for a text that is not
     * certificates, for a certificate of another key than the served one's, and for an expired one.
     */
    synchronized void replace(String pem) {
        if (!on()) {
            throw new IllegalArgumentException("the proxy serves no TLS (its settings have no tls.file)");
        }
        List<X509Certificate> chain = Pem.certificatesOnly(pem);
        X509Certificate next = chain.get(0);
        if (!Arrays.equals(next.getPublicKey().getEncoded(), certificate().getPublicKey().getEncoded())) {
            throw new IllegalArgumentException("the certificate (" + next.getSubjectX500Principal() + ") is not for "
                    + "this proxy's key");
        }
        Instant notAfter = next.getNotAfter().toInstant();
        if (!notAfter.isAfter(Instant.now())) {
            throw new IllegalArgumentException("the certificate expired at " + notAfter);
        }
        if (chain.equals(served.chain())) {
            return; // told again what it serves: its context, and the sessions it caches, stay
        }
        served = serve(chain);
        LOG.info(() -> "TLS certificate replaced: names " + names(next) + ", valid until " + notAfter);
    }

    /** The INFO lines of TLS: whether it is on and, if so, what the certificate served names and until when. */
    String info() {
        if (!on()) {
            return "tls:0\r\n";
        }
        X509Certificate c = certificate();
        return "tls:1\r\ntls_provider:" + PROVIDER.name().toLowerCase(Locale.ROOT) + "\r\n"
                + "tls_certificate_not_after:" + c.getNotAfter().toInstant().getEpochSecond() + "\r\n"
                + "tls_certificate_names:" + String.join(",", names(c)) + "\r\n";
    }

    /** The DNS names and IP addresses a certificate is valid for (its subject alternative names). */
    static List<String> names(X509Certificate certificate) {
        Collection<List<?>> alternatives;
        try {
            alternatives = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        if (alternatives != null) {
            for (List<?> name : alternatives) {
                if (name.size() == 2 && name.get(1) instanceof String s) {
                    names.add(s);
                }
            }
        }
        return names;
    }

    private Served serve(List<X509Certificate> chain) {
        try {
            SslContext context = SslContextBuilder.forServer(key, chain.toArray(X509Certificate[]::new))
                    .sslProvider(PROVIDER)
                    .protocols(PROTOCOLS)
                    .build();
            return new Served(context, List.copyOf(chain));
        } catch (SSLException | RuntimeException e) {
            throw new IllegalArgumentException("cannot serve the certificate (" + chain.get(0).getSubjectX500Principal()
                    + "): " + e.getMessage());
        }
    }
}
