package io.biu.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.test.support.TestPropertyProvider;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@MicronautTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SchedulerHealthIT implements TestPropertyProvider {

    @Inject
    @Client("/")
    HttpClient client;

    @Override
    public Map<String, String> getProperties() {
        try {
            return Map.of("micronaut.server.port", "-1",
                    "biu.data-dir", Files.createTempDirectory("biu-scheduler").toString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void reportsUpWithItsEmbeddedDatabase() {
        Map<String, Object> health = client.toBlocking().retrieve(HttpRequest.GET("/health"), Map.class);
        assertEquals("UP", health.get("status"));
        Map<String, Object> details = (Map<String, Object>) health.get("details");
        Map<String, Object> jdbc = (Map<String, Object>) details.get("jdbc");
        assertEquals("UP", jdbc.get("status"));
    }
}
