package io.biu.it;

import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The instance's bus, as consumers see it: the event stream and the membership hashes. */
final class Bus implements AutoCloseable {

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    Bus(Lab lab) {
        client = RedisClient.create(RedisURI.builder().withHost(lab.infra("bus.host"))
                .withPort(Integer.parseInt(lab.infra("bus.port"))).withTimeout(Duration.ofSeconds(3)).build());
        connection = client.connect();
    }

    RedisCommands<String, String> redis() {
        return connection.sync();
    }

    /** Every event on the stream, oldest first. */
    /**
     * Stops the bus (SHUTDOWN SAVE) over a connection of its own that does not reconnect: a reconnecting
     * client would send the unanswered SHUTDOWN again to the restarted bus.
     */
    static void shutDown(Lab lab) {
        RedisClient once = RedisClient.create(RedisURI.builder().withHost(lab.infra("bus.host"))
                .withPort(Integer.parseInt(lab.infra("bus.port"))).withTimeout(Duration.ofSeconds(3)).build());
        once.setOptions(io.lettuce.core.ClientOptions.builder().autoReconnect(false).build());
        try (StatefulRedisConnection<String, String> c = once.connect()) {
            c.sync().shutdown(true);
        } catch (io.lettuce.core.RedisException closedByTheShutdown) {
            // the bus closes the connection as it goes down
        } finally {
            once.shutdown();
        }
    }

    List<StreamMessage<String, String>> events() {
        return redis().xrange("biu:events", Range.create("-", "+"));
    }

    long last() {
        String last = redis().get("biu:events:last");
        return last == null ? 0 : Long.parseLong(last);
    }

    /** container id -> JSON, for one app. */
    Map<String, String> members(String tenant, String app) {
        return redis().hgetall("biu:members:" + tenant + "/" + app);
    }

    @Override
    public void close() {
        connection.close();
        client.shutdown();
    }
}
