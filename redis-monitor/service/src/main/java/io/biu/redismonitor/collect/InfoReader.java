package io.biu.redismonitor.collect;

import io.biu.kit.info.RedisInfo;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** INFO of Redis instances over one long-lived connection each, dropped when it fails or is no longer needed. */
@Singleton
public class InfoReader {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final ClientResources resources = DefaultClientResources.builder().ioThreadPoolSize(1)
            .computationThreadPoolSize(1).build();
    private final Map<String, Link> links = new ConcurrentHashMap<>();

    private record Link(RedisClient client, StatefulRedisConnection<String, String> connection, String password) {
        void close() {
            connection.close();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    /** The instance's INFO fields; throws when it does not answer. */
    public Map<String, String> info(String host, int port, String password) {
        String key = host + ":" + port;
        Link link = links.get(key);
        if (link != null && !link.password().equals(password)) {
            forget(key);
            link = null;
        }
        if (link == null) {
            RedisClient client = RedisClient.create(resources, RedisURI.builder().withHost(host).withPort(port)
                    .withPassword(password.toCharArray()).withTimeout(TIMEOUT).build());
            try {
                link = new Link(client, client.connect(), password);
            } catch (RuntimeException e) {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
                throw e;
            }
            links.put(key, link);
        }
        try {
            return RedisInfo.fields(link.connection().sync().info());
        } catch (RuntimeException e) {
            forget(key);
            throw e;
        }
    }

    /** Closes the connections to instances not in {@code keep} ("host:port"). */
    public void retain(java.util.Set<String> keep) {
        for (String key : links.keySet()) {
            if (!keep.contains(key)) {
                forget(key);
            }
        }
    }

    private void forget(String key) {
        Link gone = links.remove(key);
        if (gone != null) {
            gone.close();
        }
    }


    @PreDestroy
    void close() {
        links.keySet().forEach(this::forget);
        resources.shutdown();
    }
}
