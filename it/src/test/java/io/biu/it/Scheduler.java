package io.biu.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;

/**
 * The running scheduler's API, as a scenario calls it: JSON in, status and JSON out. The other services'
 * APIs follow the same conventions, so {@link #at} points one of these at them.
 */
final class Scheduler {

    static final ObjectMapper JSON = new ObjectMapper();

    /** A response: its status and its body as JSON (null when empty). */
    record Reply(int status, JsonNode body) {
        Reply expect(int expected) {
            if (status != expected) {
                throw new AssertionError("expected " + expected + " but got " + status + ": " + body);
            }
            return this;
        }
    }

    private final String base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    Scheduler(String base, String token) {
        this.base = base;
        this.token = token;
    }

    /** The test instance's scheduler with its bootstrap operator token. */
    static Scheduler operator(Lab lab) {
        try {
            return new Scheduler(lab.service("scheduler.url"),
                    Files.readString(lab.dataDir.resolve("operator.token")).trim());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Scheduler as(String otherToken) {
        return new Scheduler(base, otherToken);
    }

    Scheduler at(String otherBase) {
        return new Scheduler(otherBase, token);
    }

    Reply get(String path) {
        return send("GET", path, null);
    }

    Reply post(String path, Object body) {
        return send("POST", path, body);
    }

    Reply put(String path, Object body) {
        return send("PUT", path, body);
    }

    Reply delete(String path) {
        return send("DELETE", path, null);
    }

    Reply send(String method, String path, Object body) {
        try {
            return sendJson(method, path, body == null ? null : JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        }
    }

    /** Sends {@code json} as it is, well-formed or not. */
    Reply sendJson(String method, String path, String json) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/api/v1" + path))
                    .timeout(Duration.ofMinutes(3))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json");
            request.method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode parsed = response.body().isEmpty() ? null : JSON.readTree(response.body());
            return new Reply(response.statusCode(), parsed);
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** A new tenant token for {@code tenant}. */
    String issueTenantToken(String tenant) {
        return post("/tokens", Map.of("kind", "tenant", "name", tenant + " scenario", "tenant", tenant)).expect(201)
                .body().get("secret").asText();
    }

    /**
     * Grants the pod every scenario deploys to ({@code lab}, which ./biu up registers) to a tenant, once
     * every node is up again (an earlier scenario may have partitioned or crashed one).
     */
    static synchronized void ensureLabPod(Scheduler operator, String tenant) {
        org.awaitility.Awaitility.await("every node up").atMost(java.time.Duration.ofSeconds(60)).until(() -> {
            for (JsonNode node : operator.get("/nodes").expect(200).body()) {
                if (!node.get("state").asText().equals("up")) {
                    return false;
                }
            }
            return true;
        });
        Reply pod = operator.get("/pods/lab");
        if (pod.status() == 404) {
            throw new AssertionError("pod 'lab' is missing: ./biu up registers it with the lab's nodes");
        }
        java.util.Set<String> tenants = new java.util.TreeSet<>();
        pod.expect(200).body().get("tenants").forEach(t -> tenants.add(t.asText()));
        if (tenants.add(tenant)) {
            operator.put("/pods/lab/tenants", Map.of("tenants", tenants)).expect(200);
        }
    }
}
