package io.biu.redisctl.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.redisctl.api.CtlError;
import io.biu.redisctl.api.CtlException;
import io.biu.redisctl.client.ClusterSpec;
import io.biu.redisctl.store.ClusterRepository;
import io.biu.scheduler.client.SchedulerClient;
import io.biu.scheduler.client.Schema;
import io.biu.scheduler.client.TokenKind;
import io.biu.scheduler.client.api.Caller;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import jakarta.inject.Singleton;
import java.lang.reflect.Proxy;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Concurrent creates of one tenant pass its quota's clusters limit one at a time: every create has passed the
 * first count before any is recorded (the scheduler below holds them there), and the count under the tenant's lock
 * row refuses the ones too many, whose registered apps are deleted again.
 */
class ClusterQuotaTest {

    private static final int CREATES = 6;
    private static final int LIMIT = 2;

    /** The scheduler's answers: a quota of {@link #LIMIT} clusters, and app registrations held until all arrive. */
    @Factory
    @Requires(property = "test.cluster-quota", value = "true")
    static class QuotaScheduler {

        static final CountDownLatch ARRIVED = new CountDownLatch(CREATES);
        static final List<String> DELETED = new CopyOnWriteArrayList<>();

        @Singleton
        @Replaces(SchedulerClient.class)
        SchedulerClient client() {
            return (SchedulerClient) Proxy.newProxyInstance(SchedulerClient.class.getClassLoader(),
                    new Class<?>[] {SchedulerClient.class}, (proxy, method, args) -> switch (method.getName()) {
                        case "quota" -> new Schema.Quota((String) args[1], null, null, null, LIMIT, null,
                                new Schema.QuotaUsage(BigDecimal.ZERO, 0, 0));
                        case "pod" -> null;
                        case "createApp" -> {
                            ARRIVED.countDown();
                            ARRIVED.await(5, TimeUnit.SECONDS);
                            yield HttpResponse.status(HttpStatus.CREATED);
                        }
                        case "deleteApp" -> {
                            DELETED.add((String) args[1]);
                            yield null;
                        }
                        case "toString" -> "the quota scheduler";
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }
    }

    @Test
    void concurrentCreatesPassTheClustersLimitOneAtATime() throws Exception {
        try (ApplicationContext context = ApplicationContext.run(Map.of(
                "datasources.default.url", "jdbc:h2:mem:cluster-quota-" + System.nanoTime()
                        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
                "biu.redis-ctl.background", "false", "test.cluster-quota", "true"))) {
            ClusterService service = context.getBean(ClusterService.class);
            Caller acme = new Caller("ci", TokenKind.TENANT, "acme");
            ExecutorService pool = Executors.newFixedThreadPool(CREATES);
            List<Future<String>> creates = new ArrayList<>();
            for (int i = 0; i < CREATES; i++) {
                String name = "q" + i;
                creates.add(pool.submit(() -> {
                    try {
                        service.create(acme, new ClusterSpec(name, "lab", 1, 0, new BigDecimal("0.1"), "64MiB",
                                "none", null));
                        return "created";
                    } catch (CtlException e) {
                        assertEquals(CtlError.QUOTA_EXCEEDED, e.error(), e.getMessage());
                        assertTrue(e.getMessage().startsWith("quota: tenant 'acme' may have 2 clusters and has 2"),
                                e.getMessage());
                        return "refused";
                    }
                }));
            }
            int created = 0;
            for (Future<String> f : creates) {
                created += f.get(30, TimeUnit.SECONDS).equals("created") ? 1 : 0;
            }
            pool.shutdownNow();
            assertEquals(LIMIT, created);
            assertEquals(LIMIT, context.getBean(ClusterRepository.class).findByTenantOrderById("acme").size());
            assertEquals(CREATES - LIMIT, QuotaScheduler.DELETED.size(), "the refused creates' apps were deleted");
        }
    }
}
