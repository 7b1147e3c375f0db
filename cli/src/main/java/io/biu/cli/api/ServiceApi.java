package io.biu.cli.api;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * One service's REST API ({@code <base>/api/v1}) as the client calls it: JSON in and out, the bearer token and,
 * when there is one, the tenant the call acts for. Every failure becomes a {@link CliException}.
 */
public final class ServiceApi {

    /** Reads the services' replies into their contracts' records: fields a newer service adds are skipped. */
    public static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final String name;
    private final String base;
    private final String token;
    private final String tenant;
    private final HttpClient http;

    /**
     * @param name the service as the user knows it ({@code scheduler}, {@code redis-ctl})
     * @param base its address, e.g. {@code http://127.0.0.1:8710}
     * @param tenant the tenant to act for (sent as {@code X-Biu-Tenant}), or null
     */
    public ServiceApi(String name, String base, String token, String tenant) {
        this.name = name;
        this.base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        this.token = token;
        this.tenant = tenant;
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
    }

    public String name() {
        return name;
    }

    public String base() {
        return base;
    }

    public JsonNode get(String path) {
        return send("GET", path, null);
    }

    public JsonNode post(String path, Object body) {
        return send("POST", path, body);
    }

    public JsonNode put(String path, Object body) {
        return send("PUT", path, body);
    }

    public JsonNode delete(String path) {
        return send("DELETE", path, null);
    }

    /**
     * A reply read as the record its API's contract declares (the reply itself is what {@code --output json} prints,
     * as the service sent it).
     */
    public <T> T as(JsonNode reply, Class<T> type) {
        return as(reply, JSON.constructType(type));
    }

    /** GET, read as {@code type}. */
    public <T> T get(String path, Class<T> type) {
        return as(get(path), type);
    }

    /** GET, read as {@code type}, with the reply as sent. */
    public <T> Reply<T> fetch(String path, Class<T> type) {
        JsonNode json = get(path);
        return new Reply<>(as(json, type), json);
    }

    /** GET of a list, read as a list of {@code type}. */
    public <T> List<T> getList(String path, Class<T> type) {
        return asList(get(path), type);
    }

    /** A reply that is a list, read as a list of the contract's records. */
    public <T> List<T> asList(JsonNode reply, Class<T> type) {
        return as(reply, JSON.getTypeFactory().constructCollectionType(List.class, type));
    }

    private <T> T as(JsonNode reply, JavaType type) {
        try {
            return JSON.treeToValue(reply, type);
        } catch (IOException | IllegalArgumentException e) {
            throw CliException.failed("the " + name + " at " + base + " answered with something that is not "
                    + type.toCanonical() + " (" + e.getMessage() + ")", "is this client as new as the " + name
                    + "? `./biu version` and `./biu status` tell");
        }
    }

    /** A query parameter's value, encoded. */
    public static String q(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private JsonNode send(String method, String path, Object body) {
        HttpResponse<String> reply;
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/api/v1" + path))
                    .timeout(REQUEST_TIMEOUT)
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "application/json");
            if (tenant != null) {
                request.header("X-Biu-Tenant", tenant);
            }
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
            }
            reply = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw unreachable("does not accept connections");
        } catch (HttpTimeoutException e) {
            throw unreachable("did not answer " + method + " " + path + " within " + REQUEST_TIMEOUT.toSeconds()
                    + " s");
        } catch (IOException e) {
            throw unreachable("failed to answer (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliException.failed("interrupted while waiting for " + name, null);
        }
        if (reply.statusCode() >= 400) {
            throw ApiErrors.of(name, reply.statusCode(), reply.body());
        }
        try {
            return reply.body().isBlank() ? NullNode.getInstance() : JSON.readTree(reply.body());
        } catch (IOException e) {
            throw CliException.failed(name + " answered " + method + " " + path + " with something that is not JSON",
                    "is " + base + " really the " + name + "? `./biu status` lists the services' addresses");
        }
    }

    private CliException unreachable(String what) {
        return CliException.unreachable("cannot reach the " + name + " at " + base + ": it " + what,
                "is the instance up? `./biu status` shows it, `./biu up` starts it");
    }
}
