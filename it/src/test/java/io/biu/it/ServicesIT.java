package io.biu.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.RedisClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The instance's infrastructure and services answer where {@code ./biu up} said they would. The test
 * instance runs the production profile, so every service must be on PostgreSQL here; the embedded
 * default (H2) is what {@link BiuScriptIT}'s up/down cycle starts, and its {@code up} succeeds only
 * once every service's health, database included, is UP. Each service calls the others with a token scoped to
 * the calls it makes.
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

    /** What each service's token may do: the calls it makes, and no others. */
    private static final Map<String, Set<String>> SCOPES = Map.of(
            "redis-ctl", Set.of("scheduler:introspect", "scheduler:read", "scheduler:write", "proxy-admin:read",
                    "proxy-admin:members"),
            "redis-monitor", Set.of("scheduler:introspect", "scheduler:read", "scheduler:write", "redis-ctl:read",
                    "redis-ctl:write", "redis-ctl:connection"),
            "admin", Set.of("scheduler:introspect", "scheduler:read", "scheduler:write", "redis-ctl:read",
                    "redis-ctl:connection"));

    @Test
    void eachServicesTokenHoldsTheScopesOfTheCallsItMakesAndNoOther() throws Exception {
        Scheduler operator = Scheduler.operator(lab);
        for (Map.Entry<String, Set<String>> service : SCOPES.entrySet()) {
            Path file = lab.dataDir.resolve("secrets/" + service.getKey() + ".token");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            JsonNode who = operator.post("/tokens/introspect", Map.of("token", Files.readString(file).trim()))
                    .expect(200).body();
            assertTrue(who.get("active").asBoolean(), service.getKey() + ": " + who);
            Set<String> held = new HashSet<>();
            who.get("scopes").forEach(s -> held.add(s.asText()));
            assertEquals(service.getValue(), held, service.getKey());
        }
        // and no service token without scopes (one issued before them) is left working
        for (JsonNode t : operator.get("/tokens").expect(200).body()) {
            if (t.get("kind").asText().equals("SERVICE") && t.path("revokedAt").isMissingNode()) {
                assertFalse(t.get("scopes").isEmpty(), t.toString());
            }
        }
    }

    @Test
    void aServiceTokenCannotDoWhatItsScopesDoNotNameAndIsRefusedOnceRevoked() {
        Scheduler operator = Scheduler.operator(lab);
        JsonNode issued = operator.post("/tokens", Map.of("kind", "service", "name", "scoped scenario",
                "scopes", List.of("redis-ctl:read"))).expect(201).body();
        long id = issued.get("token").get("id").asLong();
        Scheduler redisCtl = operator.at(lab.service("redis-ctl.url")).as(issued.get("secret").asText());
        Scheduler admin = redisCtl.at(lab.service("admin.url"));
        try {
            redisCtl.get("/clusters").expect(200);
            assertLacks(redisCtl.get("/clusters/1/connection"), "redis-ctl:connection");
            assertLacks(redisCtl.post("/clusters", Map.of("name", "x", "pod", "lab")), "redis-ctl:write");
            assertLacks(redisCtl.delete("/clusters/1"), "redis-ctl:write");
            assertLacks(admin.get("/endpoints"), "proxy-admin:read");
            assertLacks(admin.post("/endpoints/members?cluster=1", null), "proxy-admin:members");
            assertLacks(redisCtl.at(lab.service("redis-monitor.url")).get("/decisions"), "redis-monitor:read");
            assertLacks(redisCtl.at(lab.service("scheduler.url")).get("/apps"), "scheduler:read");
        } finally {
            operator.delete("/tokens/" + id).expect(200);
        }
        await("the revoked token refused").atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> redisCtl.get("/clusters").status() == 401);
    }

    private static void assertLacks(Scheduler.Reply reply, String scope) {
        assertEquals(403, reply.status(), "" + reply.body());
        assertTrue(reply.body().get("message").asText().contains("lacks the scope " + scope), "" + reply.body());
    }

    @Test
    void busAnswersAndKeepsAnAppendOnlyFile() {
        RedisClient client = RedisClient.create(Bus.uri(lab, lab.infra("bus.user"),
                Path.of(lab.infra("bus.password.file"))));
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
