package io.biu.scheduler.engine;

import io.biu.scheduler.ContainerLimits;
import io.biu.scheduler.SchedulerConfig;
import io.biu.scheduler.error.SchedulerError;
import io.biu.scheduler.error.SchedulerException;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The engines of all nodes, one client each, reused across calls. A TCP endpoint uses the node's own
 * certificate directory, or the configured default.
 */
@Singleton
public class Engines {

    private final SchedulerConfig config;
    private final ContainerLimits limits;
    private final Map<String, Engine> engines = new ConcurrentHashMap<>();

    Engines(SchedulerConfig config, ContainerLimits limits) {
        this.config = config;
        this.limits = limits;
    }

    /** The engine at an endpoint ({@code tcp://host:port} or {@code unix:///path}). */
    public Engine at(String endpoint, @Nullable String tlsDir) {
        if (endpoint == null || !(endpoint.startsWith("tcp://") || endpoint.startsWith("unix://"))) {
            throw new SchedulerException(SchedulerError.INVALID_REQUEST,
                    "endpoint '" + endpoint + "' is not a Docker endpoint: use tcp://host:port or unix:///path");
        }
        Path tls = tlsDir != null ? Path.of(tlsDir) : config.dockerTlsDir();
        if (endpoint.startsWith("tcp://") && (tls == null || !Files.isReadable(tls.resolve("cert.pem")))) {
            throw new SchedulerException(SchedulerError.INVALID_REQUEST, "endpoint " + endpoint + " needs TLS client "
                    + "certificates: give tlsDir (with ca.pem, cert.pem, key.pem) or configure biu.scheduler.docker-tls-dir");
        }
        return engines.computeIfAbsent(endpoint + "|" + tls,
                key -> new DockerEngine(endpoint, tls, config.engineTimeout(), limits));
    }

    @PreDestroy
    void close() {
        engines.values().forEach(Engine::close);
        engines.clear();
    }
}
