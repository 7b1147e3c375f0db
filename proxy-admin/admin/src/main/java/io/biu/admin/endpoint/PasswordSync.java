package io.biu.admin.endpoint;

import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells every proxy its endpoint's passwords at a fixed interval: a proxy that was unreachable during a
 * rotation (or started from an older configuration) catches up, and an old password's grace ends on time
 * even on a proxy that restarted.
 */
@Singleton
class PasswordSync {

    private static final Logger LOG = LoggerFactory.getLogger(PasswordSync.class);

    private final EndpointRepository endpoints;
    private final EndpointService service;

    PasswordSync(EndpointRepository endpoints, EndpointService service) {
        this.endpoints = endpoints;
        this.service = service;
    }

    @Scheduled(fixedDelay = "${biu.proxy-admin.sync-interval}", initialDelay = "${biu.proxy-admin.sync-interval}")
    void sync() {
        for (Endpoint e : endpoints.findAll()) {
            try {
                var missed = service.push(e);
                if (!missed.isEmpty()) {
                    LOG.debug("endpoint {}: proxies not told their passwords yet: {}", e.id(), missed);
                }
            } catch (RuntimeException ex) {
                // one endpoint's trouble does not keep the others from their sync
                LOG.warn("endpoint {}: sync failed: {}", e.id(), ex.toString());
            }
        }
    }
}
