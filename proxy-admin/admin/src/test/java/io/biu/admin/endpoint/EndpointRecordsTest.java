package io.biu.admin.endpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.admin.api.AdminError;
import io.biu.admin.api.AdminException;
import io.micronaut.context.ApplicationContext;
import io.micronaut.transaction.TransactionOperations;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An endpoint is recorded only after the tenant's lock row is taken: one issue recording meanwhile holds the next
 * until it commits, and the next then counts what it recorded.
 */
class EndpointRecordsTest {

    private static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

    private static Endpoint endpoint(long cluster) {
        return new Endpoint(null, "acme", cluster, "c" + cluster, "", 1, "hash", null, null, "admin", false, null, NOW, NOW);
    }

    @Test
    void anEndpointIsLoggedWithoutItsSecrets() {
        String text = new Endpoint(7L, "acme", 1, "shop", "proxy-shop-7", 2, "pw-hash", "old-hash", NOW, "admin-secret",
                false, null, NOW, NOW).toString();
        assertEquals("Endpoint[7 acme, cluster 1 (shop), app proxy-shop-7, 2 proxies]", text);
    }

    @Test
    void anIssueRecordingMeanwhileHoldsTheNextUntilItCommits() throws Exception {
        try (ApplicationContext context = ApplicationContext.run(Map.of(
                "datasources.default.url", "jdbc:h2:mem:records-" + System.nanoTime() + ";MODE=PostgreSQL;"
                        + "DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                "biu.proxy-admin.sync-interval", "1h"))) {
            EndpointRecords records = context.getBean(EndpointRecords.class);
            EndpointRepository endpoints = context.getBean(EndpointRepository.class);
            TenantLockRepository locks = context.getBean(TenantLockRepository.class);
            locks.save(new TenantLock("acme"));
            TransactionOperations<?> transactions = context.getBean(TransactionOperations.class);
            CompletableFuture<Object> next = new CompletableFuture<>();
            transactions.executeWrite(status -> {
                // the first issue, as countAndSave does it: the lock, then its endpoint, not yet committed
                locks.findByTenantForUpdate("acme");
                endpoints.save(endpoint(1));
                CompletableFuture.runAsync(() -> {
                    try {
                        next.complete(records.record(endpoint(2), 1));
                    } catch (RuntimeException e) {
                        next.complete(e);
                    }
                });
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                assertFalse(next.isDone(), "the next issue waits for the lock: " + next.getNow(null));
                return null;
            });
            Object outcome = next.get(10, TimeUnit.SECONDS);
            assertTrue(outcome instanceof AdminException, "the next issue counted the first: " + outcome);
            assertEquals(AdminError.QUOTA_EXCEEDED, ((AdminException) outcome).error());
            assertEquals(1, endpoints.countByTenant("acme"));
        }
    }
}
