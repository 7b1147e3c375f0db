package io.biu.scheduler.client;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.annotation.ClientFilter;
import io.micronaut.http.annotation.RequestFilter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Signs every call to the scheduler (and to the other Biu services, which check tokens with the scheduler)
 * with this service's token, read from the file named by {@code biu.scheduler-client.token-file} (so the
 * secret stays out of configuration files and process lists).
 */
@Requires(property = "biu.scheduler-client.token-file")
@ClientFilter(serviceId = {SchedulerClient.SERVICE_ID, "redis-ctl", "proxy-admin", "redis-monitor"})
final class ServiceTokenFilter {

    private final Path file;
    private volatile String token;

    ServiceTokenFilter(@Value("${biu.scheduler-client.token-file}") String file) {
        this.file = Path.of(file);
    }

    @RequestFilter
    void sign(MutableHttpRequest<?> request) {
        request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token());
    }

    private String token() {
        String t = token;
        if (t == null) {
            try {
                t = Files.readString(file, StandardCharsets.UTF_8).trim();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the service token from " + file
                        + " (set biu.scheduler-client.token-file)", e);
            }
            token = t;
        }
        return t;
    }
}
