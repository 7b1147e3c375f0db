package io.biu.it;

import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The instance's bus, as consumers see it: the event stream and the membership hashes. */
final class Bus implements AutoCloseable {

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;

    Bus(Lab lab) {
        client = RedisClient.create(uri(lab, lab.infra("bus.user"), Path.of(lab.infra("bus.password.file"))));
        connection = client.connect();
    }

    /** The bus as {@code user}, whose password is in {@code passwordFile} ({@code null}: as nobody). */
    static RedisURI uri(Lab lab, String user, Path passwordFile) {
        RedisURI.Builder b = RedisURI.builder().withHost(lab.infra("bus.host"))
                .withPort(Integer.parseInt(lab.infra("bus.port"))).withTimeout(Duration.ofSeconds(3));
        if (user != null) {
            try {
                b.withAuthentication(user, Files.readString(passwordFile).trim());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return b.build();
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
        RedisClient once = RedisClient.create(uri(lab, lab.infra("bus.user"),
                Path.of(lab.infra("bus.password.file"))));
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
