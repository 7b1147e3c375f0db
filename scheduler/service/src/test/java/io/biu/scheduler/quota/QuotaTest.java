package io.biu.scheduler.quota;

import static io.biu.scheduler.SchedulerFixture.OPERATOR;
import static io.biu.scheduler.SchedulerFixture.tenant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.scheduler.SchedulerFixture;
import io.biu.scheduler.client.Schema;
import io.biu.scheduler.container.CapacityService;
import io.biu.scheduler.error.SchedulerError;
import io.biu.scheduler.error.SchedulerException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A tenant's quota bounds what the scheduler reserves for it, whatever room its pods have: the refusal names the
 * limit and the numbers, the capacity answer says how many more the quota admits, and reservations racing in
 * different pods are counted one after another.
 */
class QuotaTest {

    private SchedulerFixture scheduler;
    private QuotaService quotas;

    @BeforeEach
    void start() {
        scheduler = SchedulerFixture.start(Map.of());
        for (String pod : List.of("p", "q")) {
            scheduler.hostPod(pod, "team-a", "team-b");
            scheduler.node(pod + "-1", pod, List.of(0, 1, 2, 3), "4GiB");
            scheduler.app("team-a", "a-" + pod, pod, "0.5", "64MiB", null);
        }
        scheduler.app("team-b", "b", "p", "0.5", "64MiB", null);
        quotas = scheduler.bean(QuotaService.class);
    }

    @AfterEach
    void stop() {
        scheduler.close();
    }

    private void quota(String cores, String memory, Integer containers) {
        quotas.set(OPERATOR, "team-a", new Schema.QuotaSpec(cores == null ? null : new BigDecimal(cores), memory,
                containers, 2, 3));
    }

    @Test
    void aTenantGetsNoMoreThanItsQuotaWhateverRoomThePodHas() {
        quota("1.2", "1GiB", 10);
        scheduler.deploy("team-a", "a-p", 2);
        SchedulerException refused = assertThrows(SchedulerException.class,
                () -> scheduler.deploy("team-a", "a-q", 1));
        assertEquals(SchedulerError.QUOTA_EXCEEDED, refused.error());
        assertTrue(refused.getMessage().startsWith("quota: tenant 'team-a' asks for 1 container of 0.5 cores and "
                + "64 MiB; cores 1.2 (1 held)"), refused.getMessage());
        assertEquals(2, scheduler.rows("p").size() + scheduler.rows("q").size(), "nothing was reserved");
        // the pod has room; the quota does not
        CapacityService capacity = scheduler.bean(CapacityService.class);
        assertTrue(capacity.capacity(tenant("team-a"), "q", new BigDecimal("0.5"), 64L << 20, Map.of()).get(0)
                .count() > 0);
        QuotaService.Room room = capacity.quotaRoom(tenant("team-a"), "q", new BigDecimal("0.5"), 64L << 20)
                .orElseThrow();
        assertEquals(0, room.count());
        assertTrue(room.reason().contains("cores 1.2 (1 held)"), room.reason());
        // another tenant is not bound by it
        scheduler.deploy("team-b", "b", 3);

        quota("10", "200MiB", 10);
        assertEquals(1, quotas.room("team-a", new BigDecimal("0.5"), 64L << 20).orElseThrow().count());
        SchedulerException memory = assertThrows(SchedulerException.class,
                () -> scheduler.deploy("team-a", "a-q", 2));
        assertTrue(memory.getMessage().contains("memory 200 MiB (128 MiB held)"), memory.getMessage());
        scheduler.deploy("team-a", "a-q", 1);

        quota(null, null, 3);
        assertThrows(SchedulerException.class, () -> scheduler.deploy("team-a", "a-q", 1));
        quotas.clear(OPERATOR, "team-a");
        scheduler.deploy("team-a", "a-q", 1);
        assertTrue(quotas.room("team-a", BigDecimal.ONE, 64L << 20).isEmpty(), "no quota, no bound");
    }

    @Test
    void aReservationWaitsForTheQuotasLockWhateverItsPod() throws Exception {
        quota(null, null, 10);
        io.micronaut.transaction.TransactionOperations<?> transactions =
                scheduler.bean(io.micronaut.transaction.TransactionOperations.class);
        java.util.concurrent.CompletableFuture<Integer> deployed = new java.util.concurrent.CompletableFuture<>();
        transactions.executeWrite(status -> {
            // a reservation in pod p holds the quota's row: one in pod q has to wait for it
            scheduler.bean(QuotaRepository.class).findByTenantForUpdate("team-a");
            java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    deployed.complete(scheduler.deploy("team-a", "a-q", 1).size());
                } catch (RuntimeException e) {
                    deployed.completeExceptionally(e);
                }
            });
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            assertTrue(!deployed.isDone(), "the reservation in pod q waits for the quota's lock");
            return null;
        });
        assertEquals(1, deployed.get(10, java.util.concurrent.TimeUnit.SECONDS));
    }

    @Test
    void reservationsRacingInTwoPodsAreCountedOneAfterAnother() throws Exception {
        quota(null, null, 3);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> tries = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                String app = i % 2 == 0 ? "a-p" : "a-q";
                tries.add(pool.submit((Callable<Boolean>) () -> {
                    try {
                        scheduler.deploy("team-a", app, 1);
                        return true;
                    } catch (SchedulerException e) {
                        assertEquals(SchedulerError.QUOTA_EXCEEDED, e.error(), e.getMessage());
                        return false;
                    }
                }));
            }
            int admitted = 0;
            for (Future<Boolean> f : tries) {
                admitted += f.get() ? 1 : 0;
            }
            assertEquals(3, admitted);
            assertEquals(3, scheduler.rows("p").size() + scheduler.rows("q").size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void onlyOperatorsSetQuotasAndTenantsSeeTheirOwn() {
        quota("2", "1GiB", 5);
        assertEquals(SchedulerError.FORBIDDEN, assertThrows(SchedulerException.class, () -> quotas.set(
                tenant("team-a"), "team-a", new Schema.QuotaSpec(null, null, 100, null, null))).error());
        assertEquals(new BigDecimal("2"), quotas.get(tenant("team-a"), "team-a").cores());
        assertEquals(SchedulerError.NOT_FOUND, assertThrows(SchedulerException.class,
                () -> quotas.get(tenant("team-b"), "team-a")).error());
        assertEquals(SchedulerError.INVALID_CPU, assertThrows(SchedulerException.class, () -> quotas.set(OPERATOR,
                "team-a", new Schema.QuotaSpec(new BigDecimal("-1"), null, null, null, null))).error());
        assertEquals(SchedulerError.INVALID_COUNT, assertThrows(SchedulerException.class, () -> quotas.set(OPERATOR,
                "team-a", new Schema.QuotaSpec(null, null, -1, null, null))).error());
    }
}
