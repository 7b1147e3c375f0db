package io.biu.redismonitor.web;

import io.micronaut.context.annotation.Value;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.ObjectMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The request rates nginx reports per followed app ({@code tenant/app}: the {@code requests_per_second} of each entry
 * of its status document's {@code apps}), summed over every nginx of the web tier
 * ({@code biu.redis-monitor.web.status-urls}, comma-separated; unset: no web tier to scale).
 */
@Singleton
class NginxStatus {

    private final List<URI> urls;
    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    NginxStatus(@Nullable @Value("${biu.redis-monitor.web.status-urls:}") String urls, ObjectMapper json) {
        this.urls = urls == null || urls.isBlank() ? List.of()
                : Arrays.stream(urls.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(URI::create).toList();
        this.json = json;
    }

    boolean configured() {
        return !urls.isEmpty();
    }

    /** Requests per second per app, over every nginx; throws if one does not answer (a partial sum would mislead). */
    Map<String, Double> rates() {
        Map<String, Double> sum = new HashMap<>();
        for (URI url : urls) {
            String body;
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(3))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("nginx status " + url + " answered " + response.statusCode());
                }
                body = response.body();
            } catch (IOException e) {
                throw new UncheckedIOException("nginx status " + url + " did not answer", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            rates(body).forEach((app, rps) -> sum.merge(app, rps, Double::sum));
        }
        return sum;
    }

    /** The per-app rates of one status document; an app with a rate that is not a number >= 0 is left out. */
    Map<String, Double> rates(String body) {
        try {
            Status status = body == null ? null : json.readValue(body, Status.class);
            if (status == null) {
                throw new IOException("the status is empty");
            }
            Map<String, Double> rates = new HashMap<>();
            if (status.apps() != null) {
                status.apps().forEach((name, figures) -> {
                    String app = figures == null || figures.tenant() == null || figures.app() == null ? name
                            : figures.tenant() + "/" + figures.app();
                    double rate = figures == null || figures.requestsPerSecond() == null ? 0
                            : figures.requestsPerSecond();
                    if (rate >= 0 && Double.isFinite(rate)) {
                        rates.put(app, rate);
                    }
                });
            }
            return rates;
        } catch (IOException e) {
            throw new UncheckedIOException("nginx's status is not what was expected", e);
        }
    }

    @io.micronaut.serde.annotation.Serdeable
    record Status(@Nullable Map<String, App> apps) {
    }

    /** An app as nginx's status shows it (under the name its upstream has). */
    @io.micronaut.serde.annotation.Serdeable
    record App(@Nullable String tenant, @Nullable String app,
            @Nullable @JsonProperty("requests_per_second") Double requestsPerSecond) {
    }
}
