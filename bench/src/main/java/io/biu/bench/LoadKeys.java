package io.biu.bench;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Fills a Redis Cluster with {@code count} keys of {@code size} bytes spread over every slot (key:0 ...),
 * pipelined: {@code java -cp biu-bench.jar io.biu.bench.LoadKeys HOST PASSWORD COUNT SIZE}.
 */
public final class LoadKeys {

    private LoadKeys() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: LoadKeys HOST PASSWORD COUNT SIZE");
            System.exit(2);
        }
        int count = Integer.parseInt(args[2]);
        char[] filler = new char[Integer.parseInt(args[3])];
        Arrays.fill(filler, 'x');
        String value = new String(filler);
        RedisClusterClient client = RedisClusterClient.create(RedisURI.builder().withHost(args[0]).withPort(6379)
                .withAuthentication("default", args[1].toCharArray()).build());
        try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
            RedisAdvancedClusterAsyncCommands<String, String> async = connection.async();
            List<RedisFuture<String>> pending = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                pending.add(async.set("key:" + i, value));
                if (pending.size() == 10_000 || i == count - 1) {
                    for (RedisFuture<String> f : pending) {
                        if (!"OK".equals(f.get(60, TimeUnit.SECONDS))) {
                            throw new IllegalStateException("SET refused");
                        }
                    }
                    pending.clear();
                }
            }
        } finally {
            client.shutdown();
        }
    }
}
