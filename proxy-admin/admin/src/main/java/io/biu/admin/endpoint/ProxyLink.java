package io.biu.admin.endpoint;

import io.biu.kit.info.RedisInfo;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.ProtocolVersion;
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

    private final RedisClient client = adminClient();

    /** A client that says nothing on connecting: before its AUTH, a proxy answers only the challenge. */
    private static RedisClient adminClient() {
        RedisClient c = RedisClient.create();
        c.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP2)
                .pingBeforeActivateConnection(false).build());
        return c;
    }

    /**
     * A connection authenticated as {@value #ADMIN_USER} by challenge and response: the proxy's fresh challenge,
     * answered with HMAC-SHA256 of it keyed with the SHA-256 of the admin secret (what the proxy holds). Neither the
     * secret nor anything that would authenticate another connection crosses the network.
     */
    private StatefulRedisConnection<String, String> connect(String host, int port, String adminSecret) {
        StatefulRedisConnection<String, String> c = client.connect(RedisURI.builder().withHost(host).withPort(port)
                .withTimeout(TIMEOUT).build());
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
    Map<String, String> info(String host, int port, String adminSecret) {
        try (StatefulRedisConnection<String, String> c = connect(host, port, adminSecret)) {
            return RedisInfo.fields(c.sync().info());
        }
    }

    /** Tells the proxy the cluster's instances ({@code host:port,...}), the only addresses it may connect to. */
    void members(String host, int port, String adminSecret, String members) {
        try (StatefulRedisConnection<String, String> c = connect(host, port, adminSecret)) {
            c.sync().dispatch(BIUPROXY, new StatusOutput<>(StringCodec.UTF8),
                    new CommandArgs<>(StringCodec.UTF8).add("MEMBERS").add(members));
        }
    }

    /** Tells the proxy which password hashes it accepts from now on. */
    void passwords(String host, int port, String adminSecret, String spec) {
        try (StatefulRedisConnection<String, String> c = connect(host, port, adminSecret)) {
            c.sync().dispatch(BIUPROXY, new StatusOutput<>(StringCodec.UTF8),
                    new CommandArgs<>(StringCodec.UTF8).add("PASSWORDS").add(spec));
        }
    }

    @PreDestroy
    void close() {
        client.shutdown();
    }
}
