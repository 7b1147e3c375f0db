package io.biu.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The scheduler's API without any engine: identity, validation and the errors a caller gets, on the
 * embedded database. What needs Docker hosts is in the end-to-end scenarios.
 */
@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SchedulerApiIT implements TestPropertyProvider {

    private Path dataDir;

    @Inject
    @Client("/")
    HttpClient http;

    private String operator;
    private String tenant;

    @Override
    public Map<String, String> getProperties() {
        try {
            dataDir = Files.createTempDirectory("biu-scheduler");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("micronaut.server.port", "-1", "biu.data-dir", dataDir.toString(),
                "biu.scheduler.background", "false");
    }

    @BeforeAll
    void tokens() throws IOException {
        Path file = dataDir.resolve("operator.token");
        operator = Files.readString(file).trim();
        Map<?, ?> issued = setUp("POST", "/api/v1/tokens", operator,
                Map.of("kind", "tenant", "name", "team a", "tenant", "team-a"), Map.class);
        tenant = (String) issued.get("secret");
        setUp("POST", "/api/v1/pods", operator, Map.of("name", "web", "shareBase", 10,
                "network", Map.of("subnet", "10.99.0.0/24", "gateway", "10.99.0.1", "parent", "eth0"),
                "tenants", List.of("team-a")), Map.class);
        setUp("POST", "/api/v1/pods", operator, Map.of("name", "private",
                "network", Map.of("mode", "host")), Map.class);
    }

    private <T> T call(String method, String path, String token, Object body, Class<T> type) {
        MutableHttpRequest<Object> request = HttpRequest.create(io.micronaut.http.HttpMethod.valueOf(method), path);
        if (token != null) {
            request.bearerAuth(token);
        }
        if (body != null) {
            request.body(body).contentType(MediaType.APPLICATION_JSON_TYPE);
        }
        return http.toBlocking().retrieve(request, Argument.of(type));
    }

    private List<Map<String, Object>> list(String path, String token) {
        return http.toBlocking().retrieve(HttpRequest.GET(path).bearerAuth(token),
                Argument.listOf(Argument.mapOf(String.class, Object.class)));
    }

    /** Like {@link #call}, for set-up: a failure shows the server's answer. */
    private <T> T setUp(String method, String path, String token, Object body, Class<T> type) {
        try {
            return call(method, path, token, body, type);
        } catch (HttpClientResponseException e) {
            throw new AssertionError(method + " " + path + " answered " + e.getStatus() + ": "
                    + e.getResponse().getBody(String.class).orElse(""), e);
        }
    }

    /** The status and error body of a call that must fail. */
    private Map<String, Object> failing(HttpStatus status, String method, String path, String token, Object body) {
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class,
                () -> call(method, path, token, body, Map.class));
        assertEquals(status, e.getStatus(), () -> e.getResponse().getBody(String.class).orElse(""));
        @SuppressWarnings("unchecked")
        Map<String, Object> error = e.getResponse().getBody(Map.class).orElseThrow();
        return error;
    }

    private static void assertError(Map<String, Object> error, String code, String message) {
        assertEquals(code, error.get("error"), error.toString());
        assertTrue(String.valueOf(error.get("message")).contains(message), error.toString());
    }

    @Test
    void firstStartWritesTheOperatorTokenReadableOnlyByItsOwner() throws IOException {
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dataDir.resolve("operator.token"))));
        assertTrue(operator.startsWith("biu_"));
    }

    @Test
    void callsWithoutAValidTokenAreRefused() {
        assertError(failing(HttpStatus.UNAUTHORIZED, "GET", "/api/v1/pods", null, null), "UNAUTHENTICATED",
                "Authorization: Bearer <token>");
        assertError(failing(HttpStatus.UNAUTHORIZED, "GET", "/api/v1/pods", "biu_not-a-real-token", null),
                "UNAUTHENTICATED", "unknown or revoked");
        Map<?, ?> issued = call("POST", "/api/v1/tokens", operator, Map.of("kind", "tenant", "name", "short lived",
                "tenant", "team-b"), Map.class);
        String secret = (String) issued.get("secret");
        assertEquals(List.of(), list("/api/v1/pods", secret), "no pod granted to team-b");
        Number id = (Number) ((Map<?, ?>) issued.get("token")).get("id");
        call("DELETE", "/api/v1/tokens/" + id, operator, null, Map.class);
        assertError(failing(HttpStatus.UNAUTHORIZED, "GET", "/api/v1/pods", secret, null), "UNAUTHENTICATED",
                "unknown or revoked");
    }

    @Test
    void anExpiringTokenWorksUntilItsTimeAndNeverAfter() {
        assertError(failing(HttpStatus.BAD_REQUEST, "POST", "/api/v1/tokens", operator, Map.of("kind", "tenant",
                "name", "too late", "tenant", "team-b", "expiresAt", java.time.Instant.now().minusSeconds(1)
                        .toString())), "INVALID_REQUEST", "has passed");
        java.time.Instant expiresAt = java.time.Instant.now().plusSeconds(2)
                .truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        Map<?, ?> issued = call("POST", "/api/v1/tokens", operator, Map.of("kind", "tenant", "name", "for a day",
                "tenant", "team-b", "expiresAt", expiresAt.toString()), Map.class);
        String secret = (String) issued.get("secret");
        assertEquals(expiresAt, java.time.Instant.parse((String) ((Map<?, ?>) issued.get("token")).get("expiresAt")));
        assertEquals(List.of(), list("/api/v1/pods", secret), "it works before its time");
        Map<?, ?> seen = call("POST", "/api/v1/tokens/introspect", operator, Map.of("token", secret), Map.class);
        assertEquals(Boolean.TRUE, seen.get("active"));
        assertEquals(expiresAt, java.time.Instant.parse((String) seen.get("expiresAt")), "services cache it no longer");
        org.awaitility.Awaitility.await("expired").atMost(java.time.Duration.ofSeconds(10))
                .pollInterval(java.time.Duration.ofMillis(200))
                .until(() -> !java.time.Instant.now().isBefore(expiresAt));
        assertError(failing(HttpStatus.UNAUTHORIZED, "GET", "/api/v1/pods", secret, null), "UNAUTHENTICATED",
                "has expired");
        assertEquals(Boolean.FALSE, call("POST", "/api/v1/tokens/introspect", operator, Map.of("token", secret),
                Map.class).get("active"));
    }

    @Test
    void tenantsCannotDoOperatorsWorkNorSeeOtherTenantsPods() {
        assertError(failing(HttpStatus.FORBIDDEN, "POST", "/api/v1/tokens", tenant,
                Map.of("kind", "operator", "name", "x")), "FORBIDDEN", "needs an operator token");
        assertError(failing(HttpStatus.FORBIDDEN, "GET", "/api/v1/nodes", tenant, null), "FORBIDDEN",
                "needs an operator token");
        assertError(failing(HttpStatus.FORBIDDEN, "GET", "/api/v1/quarantine", tenant, null), "FORBIDDEN",
                "needs an operator token");
        assertError(failing(HttpStatus.FORBIDDEN, "DELETE", "/api/v1/quarantine/1", tenant, null), "FORBIDDEN",
                "needs an operator token");
        assertEquals(List.of(), list("/api/v1/quarantine", operator), "operators see the (empty) quarantine");
        assertError(failing(HttpStatus.NOT_FOUND, "DELETE", "/api/v1/quarantine/1", operator, null), "NOT_FOUND",
                "no quarantined container 1");
        List<?> pods = list("/api/v1/pods", tenant);
        assertEquals(1, pods.size(), "team-a sees only the pod granted to it: " + pods);
        assertError(failing(HttpStatus.NOT_FOUND, "GET", "/api/v1/pods/private", tenant, null), "NOT_FOUND",
                "pod 'private' does not exist");
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class, () -> http.toBlocking()
                .retrieve(HttpRequest.GET("/api/v1/apps").bearerAuth(tenant).header("X-Biu-Tenant", "team-b")));
        assertEquals(HttpStatus.FORBIDDEN, e.getStatus(), "a tenant token cannot act for another tenant");
    }

    @Test
    void aServiceTokenActsForTheTenantItNames() {
        String service = (String) setUp("POST", "/api/v1/tokens", operator, Map.of("kind", "service", "name",
                "redis-ctl", "scopes", List.of("scheduler:write")), Map.class).get("secret");
        http.toBlocking().retrieve(HttpRequest.POST("/api/v1/apps", Map.of("name", "on-behalf", "pod", "web",
                "image", "biu/redis:7", "cpu", 0.5, "memory", "64MiB")).bearerAuth(service)
                .header("X-Biu-Tenant", "team-a"), Map.class);
        assertTrue(list("/api/v1/apps", tenant).stream().anyMatch(a -> a.get("name").equals("on-behalf")),
                "the app belongs to the tenant the service acted for");
        assertError(failing(HttpStatus.BAD_REQUEST, "POST", "/api/v1/apps", service, Map.of("name", "x",
                "pod", "web", "image", "i", "cpu", 1, "memory", "64MiB")), "INVALID_REQUEST",
                "name it in the X-Biu-Tenant header");
        assertError(failing(HttpStatus.BAD_REQUEST, "POST", "/api/v1/tokens", operator, Map.of("kind", "service",
                "name", "bad", "tenant", "team-a", "scopes", List.of("scheduler:read"))), "INVALID_REQUEST",
                "act for one per call");
    }

    @Test
    void aServiceTokenMakesOnlyTheCallsItsScopesName() {
        assertError(failing(HttpStatus.BAD_REQUEST, "POST", "/api/v1/tokens", operator, Map.of("kind", "service",
                "name", "none")), "INVALID_REQUEST", "must name its scopes");
        assertError(failing(HttpStatus.BAD_REQUEST, "POST", "/api/v1/tokens", operator, Map.of("kind", "service",
                "name", "odd", "scopes", List.of("scheduler:everything"))), "INVALID_REQUEST",
                "'scheduler:everything' is not a scope");
        assertError(failing(HttpStatus.BAD_REQUEST, "POST", "/api/v1/tokens", operator, Map.of("kind", "tenant",
                "name", "t", "tenant", "team-a", "scopes", List.of("scheduler:read"))), "INVALID_REQUEST",
                "only service tokens have scopes");
        Map<?, ?> issued = setUp("POST", "/api/v1/tokens", operator, Map.of("kind", "service", "name", "reader",
                "scopes", List.of("scheduler:read", "redis-ctl:write")), Map.class);
        assertEquals(List.of("scheduler:read", "redis-ctl:write"), ((Map<?, ?>) issued.get("token")).get("scopes"));
        String reader = (String) issued.get("secret");
        assertEquals(HttpStatus.OK, http.toBlocking().exchange(HttpRequest.GET("/api/v1/apps").bearerAuth(reader)
                .header("X-Biu-Tenant", "team-a"), String.class).getStatus());
        assertError(failing(HttpStatus.FORBIDDEN, "POST", "/api/v1/apps", reader, Map.of("name", "x", "pod", "web",
                "image", "i", "cpu", 1, "memory", "64MiB")), "FORBIDDEN", "lacks the scope scheduler:write");
        assertError(failing(HttpStatus.FORBIDDEN, "POST", "/api/v1/tokens/introspect", reader,
                Map.of("token", reader)), "FORBIDDEN", "lacks the scope scheduler:introspect");
        String introspector = (String) setUp("POST", "/api/v1/tokens", operator, Map.of("kind", "service", "name",
                "introspector", "scopes", List.of("scheduler:introspect")), Map.class).get("secret");
        Map<?, ?> who = http.toBlocking().retrieve(HttpRequest.POST("/api/v1/tokens/introspect",
                Map.of("token", reader)).bearerAuth(introspector), Map.class);
        assertEquals(List.of("scheduler:read", "redis-ctl:write"), who.get("scopes"));
        assertError(failing(HttpStatus.FORBIDDEN, "GET", "/api/v1/apps", introspector, null), "FORBIDDEN",
                "lacks the scope scheduler:read");
    }

    @Test
    void badPodsAreRefusedWithWhatToFix() {
        assertError(failing(HttpStatus.BAD_REQUEST, "POST", "/api/v1/pods", operator, Map.of("name", "Bad_Name",
                "network", Map.of("mode", "host"))), "INVALID_NAME", "lower-case letters");
        assertError(failing(HttpStatus.BAD_REQUEST, "POST", "/api/v1/pods", operator, Map.of("name", "p1",
                "shareBase", 64, "network", Map.of("mode", "host"))), "INVALID_SHARE_BASE", "use 10, 100 or 1000");
        assertError(failing(HttpStatus.BAD_REQUEST, "POST", "/api/v1/pods", operator, Map.of("name", "p2",
                "network", Map.of("subnet", "10.1.0.1/24", "gateway", "10.1.0.1", "parent", "eth0"))),
                "INVALID_SUBNET", "did you mean 10.1.0.0/24?");
        assertError(failing(HttpStatus.BAD_REQUEST, "POST", "/api/v1/pods", operator, Map.of("name", "p3")),
                "INVALID_REQUEST", "'network' is required");
        assertError(failing(HttpStatus.BAD_REQUEST, "POST", "/api/v1/pods", operator, Map.of("name", "p4",
                "network", Map.of("mode", "bridge"))), "INVALID_REQUEST", "must be one of macvlan, host");
        assertError(failing(HttpStatus.CONFLICT, "POST", "/api/v1/pods", operator, Map.of("name", "web",
                "network", Map.of("mode", "host"))), "ALREADY_EXISTS", "pod 'web' already exists");
    }

    @Test
    void badAppsAreRefusedWithWhatToFix() {
        Map<String, Object> app = Map.of("name", "site", "pod", "web", "image", "biu/web:1", "cpu", 0.5,
                "memory", "64MiB");
        assertError(failing(HttpStatus.BAD_REQUEST, "POST", "/api/v1/apps", tenant, with(app, "cpu", 0)),
                "INVALID_CPU", "greater than 0");
        assertError(failing(HttpStatus.BAD_REQUEST, "POST", "/api/v1/apps", tenant, with(app, "cpu", -2)),
                "INVALID_CPU", "greater than 0");
        assertError(failing(HttpStatus.BAD_REQUEST, "POST", "/api/v1/apps", tenant, with(app, "cpu", 1e9)),
                "INVALID_CPU", "at most 1024 cores");
        assertError(failing(HttpStatus.BAD_REQUEST, "POST", "/api/v1/apps", tenant, with(app, "cpu", 0.05)),
                "INVALID_CPU", "finer than the pod's granularity of 0.1 cores");
        assertError(failing(HttpStatus.BAD_REQUEST, "POST", "/api/v1/apps", tenant, with(app, "memory", "lots")),
                "INVALID_MEMORY", "is not a size");
        assertError(failing(HttpStatus.BAD_REQUEST, "POST", "/api/v1/apps", tenant, with(app, "memory", "1MiB")),
                "INVALID_MEMORY", "between 6 MiB and 4096 GiB");
        assertError(failing(HttpStatus.NOT_FOUND, "POST", "/api/v1/apps", tenant, with(app, "pod", "private")),
                "NOT_FOUND", "pod 'private'");
        assertError(failing(HttpStatus.NOT_FOUND, "POST", "/api/v1/apps", tenant, with(app, "pod", "nowhere")),
                "NOT_FOUND", "pod 'nowhere'");
        assertError(failing(HttpStatus.BAD_REQUEST, "POST", "/api/v1/apps", tenant, with(app, "files",
                List.of(Map.of("path", "relative/secret", "content", "c2VjcmV0")))), "INVALID_REQUEST",
                "must be an absolute path");
        assertTrue(list("/api/v1/apps", tenant).stream().noneMatch(a -> a.get("name").equals("site")),
                "nothing was half-created");
    }

    @Test
    void inputTooBigToReadIsRefusedCheaplyAndNotEchoed() {
        Map<String, Object> app = Map.of("name", "bulky", "pod", "web", "image", "biu/web:1", "cpu", 0.5,
                "memory", "64MiB");
        String digits = "9".repeat(400_000);
        Map<String, Object> error = failing(HttpStatus.BAD_REQUEST, "POST", "/api/v1/apps", tenant,
                with(app, "memory", digits));
        assertError(error, "INVALID_MEMORY", "is not a size");
        assertTrue(String.valueOf(error.get("message")).length() < 200, "the error quotes the input briefly: "
                + String.valueOf(error.get("message")).length() + " characters");
        // a number far beyond any core count, and one finer than any pod: refused as written, not expanded
        assertError(failing(HttpStatus.BAD_REQUEST, "POST", "/api/v1/apps", tenant,
                with(app, "cpu", new BigDecimal("1E+999999999"))), "INVALID_CPU", "1E+999999999");
        assertError(failing(HttpStatus.BAD_REQUEST, "POST", "/api/v1/apps", tenant,
                with(app, "cpu", new BigDecimal("1E-999999999"))), "INVALID_CPU", "more than 6 decimals");
        // a body over the service's limit is refused before it is parsed
        Map<String, Object> tooBig = failing(HttpStatus.REQUEST_ENTITY_TOO_LARGE, "POST", "/api/v1/apps", tenant,
                with(app, "image", "x".repeat(2 * 1024 * 1024)));
        assertTrue(String.valueOf(tooBig.get("message")).length() < 400, tooBig.toString());
        assertTrue(list("/api/v1/apps", tenant).stream().noneMatch(a -> a.get("name").equals("bulky")),
                "nothing was created");
    }

    @Test
    void malformedJsonIsABadRequest() {
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class, () -> http.toBlocking()
                .retrieve(HttpRequest.POST("/api/v1/pods", "{\"name\": ").bearerAuth(operator)
                        .contentType(MediaType.APPLICATION_JSON_TYPE)));
        assertEquals(HttpStatus.BAD_REQUEST, e.getStatus());
    }

    @Test
    void deployingOnAPodWithoutNodesSaysSo() {
        call("POST", "/api/v1/apps", tenant, Map.of("name", "lonely", "pod", "web", "image", "biu/web:1",
                "cpu", 0.5, "memory", "64MiB"), Map.class);
        assertError(failing(HttpStatus.UNPROCESSABLE_ENTITY, "POST", "/api/v1/apps/lonely/containers", tenant,
                Map.of("count", 2)), "CAPACITY_EXHAUSTED", "the pod has no nodes");
        assertError(failing(HttpStatus.BAD_REQUEST, "POST", "/api/v1/apps/lonely/containers", tenant,
                Map.of("count", 0)), "INVALID_COUNT", "count must be between 1 and 10000");
        assertError(failing(HttpStatus.BAD_REQUEST, "POST", "/api/v1/apps/lonely/containers", tenant,
                Map.of("count", 1, "strategy", "random")), "INVALID_STRATEGY", "unknown strategy 'random'");
        Map<?, ?> capacity = call("GET", "/api/v1/pods/web/capacity?cpu=0.5&memory=64MiB", tenant, null, Map.class);
        assertEquals(0, ((Number) capacity.get("total")).intValue());
    }

    @Test
    void theOpenApiDocumentIsServed() {
        String yaml = http.toBlocking().retrieve("/openapi/biu-scheduler-v1.yml");
        assertTrue(yaml.contains("/api/v1/apps/{app}/containers"), yaml);
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> copy = new java.util.HashMap<>(base);
        copy.put(key, value);
        return copy;
    }
}
