package io.biu.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.RedisClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The instance's infrastructure and services answer where {@code ./biu up} said they would. The test
 * instance runs the production profile, so every service must be on PostgreSQL here; the embedded
 * default (H2) is what {@link BiuScriptIT}'s up/down cycle starts, and its {@code up} succeeds only
 * once every service's health, database included, is UP.
 */
class ServicesIT {

    private static final List<String> SERVICES = List.of("scheduler", "redis-ctl", "redis-monitor", "admin");

    private final Lab lab = Lab.get();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void everyServiceIsHealthyOnPostgres() throws Exception {
        for (String service : SERVICES) {
            HttpResponse<String> health = get(lab.service(service + ".url") + "/health");
            assertEquals(200, health.statusCode(), service + ": " + health.body());
            assertTrue(health.body().startsWith("{\"name\":\"biu-" + service + "\",\"status\":\"UP\""),
                    service + ": " + health.body());
            assertTrue(health.body().contains("\"jdbc:postgresql://127.0.0.1:" + lab.infra("postgres.port") + "/"),
                    service + " should use the instance's PostgreSQL: " + health.body());
        }
    }

    @Test
    void busAnswersAndKeepsAnAppendOnlyFile() {
        RedisClient client = RedisClient.create(Bus.uri(lab, lab.infra("bus.user"),
                java.nio.file.Path.of(lab.infra("bus.password.file"))));
        try (var connection = client.connect()) {
            assertEquals("PONG", connection.sync().ping());
            assertEquals("yes", connection.sync().configGet("appendonly").get("appendonly"));
        } finally {
            client.shutdown();
        }
    }

    @Test
    void influxdbAnswersAndHasTheBiuDatabase() throws Exception {
        String url = lab.infra("influxdb.url");
        assertEquals(204, get(url + "/ping").statusCode());
        HttpResponse<String> databases = get(url + "/query?q=SHOW+DATABASES");
        assertEquals(200, databases.statusCode());
        assertTrue(databases.body().contains("[\"" + lab.infra("influxdb.database") + "\"]"), databases.body());
    }
}
