package io.biu.admin.endpoint;

import io.biu.kit.info.RedisInfo;
import io.biu.kit.secret.TlsIdentity;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.ProtocolVersion;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * proxy-admin's own conversations with its proxies, as user {@code biu-admin}: their INFO, the endpoint's passwords
 * after a rotation ({@code BIUPROXY PASSWORDS}), and the cluster's instances ({@code BIUPROXY MEMBERS}).
 */
@Singleton
class ProxyLink {

    static final String ADMIN_USER = "biu-admin";
    /** The proxies' port, unless they share their node's network (then the host port they were given). */
    static final int PORT = 6379;
    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    private static final ProtocolKeyword BIUPROXY = new ProtocolKeyword() {
        @Override
        public byte[] getBytes() {
            return "BIUPROXY".getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public String toString() {
            return "BIUPROXY";
        }
    };

    /** A proxy, and how proxy-admin authenticates to it: plain, or over TLS to a certificate of its authority. */
    record Target(String host, int port, String adminSecret, boolean tls) {
        @Override
        public String toString() {
            return host + ":" + port + (tls ? " (TLS)" : "");
        }
    }

    private final Authority authority;
    private final RedisClient client = adminClient(null);
    private volatile RedisClient tlsClient;

    ProxyLink(Authority authority) {
        this.authority = authority;
    }

    /**
     * A client that says nothing on connecting: before its AUTH, a proxy answers only the challenge. With TLS, it
     * trusts what proxy-admin's authority signed alone; it checks neither the proxy's address, which the proxy's
     * first certificate cannot name (proxy-admin gives it one that does once the address is known), nor the dates of
     * that first certificate, which nothing renews (see {@link SignedByAuthority}).
     */
    private static RedisClient adminClient(@Nullable String authorityCertificate) {
        RedisClient c = RedisClient.create();
        ClientOptions.Builder options = ClientOptions.builder().protocolVersion(ProtocolVersion.RESP2)
                .pingBeforeActivateConnection(false);
        if (authorityCertificate != null) {
            options.sslOptions(SslOptions.builder().jdkSslProvider().protocols("TLSv1.3", "TLSv1.2")
                    .trustManager(SignedByAuthority.factory(TlsIdentity.certificate(authorityCertificate))).build());
        }
        c.setOptions(options.build());
        return c;
    }

    private RedisClient client(boolean tls) {
        if (!tls) {
            return client;
        }
        RedisClient c = tlsClient;
        if (c == null) {
            synchronized (this) {
                c = tlsClient;
                if (c == null) {
                    c = adminClient(authority.certificate());
                    tlsClient = c;
                }
            }
        }
        return c;
    }

    /**
     * A connection authenticated as {@value #ADMIN_USER} by challenge and response: the proxy's fresh challenge,
     * answered with HMAC-SHA256 of it keyed with the SHA-256 of the admin secret (what the proxy holds). Neither the
     * secret nor anything that would authenticate another connection crosses the network.
     */
    private StatefulRedisConnection<String, String> connect(Target proxy) {
        String adminSecret = proxy.adminSecret();
        RedisURI.Builder uri = RedisURI.builder().withHost(proxy.host()).withPort(proxy.port()).withTimeout(TIMEOUT);
        if (proxy.tls()) {
            uri.withSsl(true).withVerifyPeer(SslVerifyMode.CA);
        }
        StatefulRedisConnection<String, String> c = client(proxy.tls()).connect(uri.build());
        try {
            String challenge = c.sync().dispatch(BIUPROXY, new StatusOutput<>(StringCodec.UTF8),
                    new CommandArgs<>(StringCodec.UTF8).add("CHALLENGE"));
            c.sync().auth(ADMIN_USER, proof(adminSecret, challenge));
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** The answer to {@code challenge} (hex) of the holder of {@code adminSecret}, hex. */
    static String proof(String adminSecret, String challenge) {
        try {
            byte[] key = MessageDigest.getInstance("SHA-256").digest(adminSecret.getBytes(StandardCharsets.UTF_8));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(HexFormat.of().parseHex(challenge)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The proxy's INFO fields. */
    Map<String, String> info(Target proxy) {
        try (StatefulRedisConnection<String, String> c = connect(proxy)) {
            return RedisInfo.fields(c.sync().info());
        }
    }

    /** Tells the proxy the cluster's instances ({@code host:port,...}), the only addresses it may connect to. */
    void members(Target proxy, String members) {
        try (StatefulRedisConnection<String, String> c = connect(proxy)) {
            c.sync().dispatch(BIUPROXY, new StatusOutput<>(StringCodec.UTF8),
                    new CommandArgs<>(StringCodec.UTF8).add("MEMBERS").add(members));
        }
    }

    /** Tells the proxy which password hashes it accepts from now on. */
    void passwords(Target proxy, String spec) {
        try (StatefulRedisConnection<String, String> c = connect(proxy)) {
            c.sync().dispatch(BIUPROXY, new StatusOutput<>(StringCodec.UTF8),
                    new CommandArgs<>(StringCodec.UTF8).add("PASSWORDS").add(spec));
        }
    }

    /** Gives a TLS proxy a new certificate for the key it holds (PEM), served to its next clients. */
    void certificate(Target proxy, String certificate) {
        try (StatefulRedisConnection<String, String> c = connect(proxy)) {
            c.sync().dispatch(BIUPROXY, new StatusOutput<>(StringCodec.UTF8),
                    new CommandArgs<>(StringCodec.UTF8).add("CERT").add(certificate));
        }
    }

    @PreDestroy
    void close() {
        client.shutdown();
        if (tlsClient != null) {
            tlsClient.shutdown();
        }
    }
}
