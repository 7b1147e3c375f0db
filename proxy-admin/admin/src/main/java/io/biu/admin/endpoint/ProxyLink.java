package io.biu.admin.endpoint;

import io.biu.kit.info.RedisInfo;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

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

    private final RedisClient client = RedisClient.create();

    private StatefulRedisConnection<String, String> connect(String host, int port, String adminSecret) {
        return client.connect(RedisURI.builder().withHost(host).withPort(port).withTimeout(TIMEOUT)
                .withAuthentication(ADMIN_USER, adminSecret.toCharArray()).build());
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
