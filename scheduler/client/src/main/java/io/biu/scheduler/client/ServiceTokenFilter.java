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
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * Signs every call to the scheduler (and to the other Biu services, which check tokens with the scheduler)
 * with this service's token, read from the file named by {@code biu.scheduler-client.token-file} (so the
 * secret stays out of configuration files and process lists). The file is read again whenever it changes, so a
 * token replaced in place (new scopes, a rotation) is used from the next call on, without a restart.
 */
@Requires(property = "biu.scheduler-client.token-file")
@ClientFilter(serviceId = {SchedulerClient.SERVICE_ID, "redis-ctl", "proxy-admin", "redis-monitor"})
final class ServiceTokenFilter {

    private final Path file;
    private volatile Read read;

    /** The token and the file's modification time and size it was read at. */
    private record Read(String token, FileTime modified, long size) {
    }

    ServiceTokenFilter(@Value("${biu.scheduler-client.token-file}") String file) {
        this.file = Path.of(file);
    }

    @RequestFilter
    void sign(MutableHttpRequest<?> request) {
        request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token());
    }

    String token() {
        Read last = read;
        try {
            BasicFileAttributes now = Files.readAttributes(file, BasicFileAttributes.class);
            if (last != null && last.modified().equals(now.lastModifiedTime()) && last.size() == now.size()) {
                return last.token();
            }
            String token = Files.readString(file, StandardCharsets.UTF_8).trim();
            read = new Read(token, now.lastModifiedTime(), now.size());
            return token;
        } catch (IOException e) {
            if (last != null) {
                // replaced by a rename just now, say: the token last read is the best there is
                return last.token();
            }
            throw new UncheckedIOException("cannot read the service token from " + file
                    + " (set biu.scheduler-client.token-file)", e);
        }
    }
}
