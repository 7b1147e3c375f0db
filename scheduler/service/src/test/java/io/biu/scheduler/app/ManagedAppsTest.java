package io.biu.scheduler.app;

import static io.biu.scheduler.SchedulerFixture.tenant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.scheduler.SchedulerFixture;
import io.biu.scheduler.api.Caller;
import io.biu.scheduler.client.Schema;
import io.biu.scheduler.client.TokenKind;
import io.biu.scheduler.container.Container;
import io.biu.scheduler.container.DeployService;
import io.biu.scheduler.container.VolumeService;
import io.biu.scheduler.error.SchedulerError;
import io.biu.scheduler.error.SchedulerException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * An app a platform service made for a tenant is the service's to change: the tenant sees it and may deploy more
 * of it, but cannot scale it, remove its containers or volumes, or delete it; the services and operators can.
 */
class ManagedAppsTest {

    private static final Caller REDIS_CTL = new Caller(3, "redis-ctl", TokenKind.SERVICE, "team-a",
            Set.of("scheduler:read", "scheduler:write"));
    private static final Caller OPERATOR = new Caller(1, "operator", TokenKind.OPERATOR, "team-a");
    private SchedulerFixture scheduler;
    private DeployService deploys;

    @BeforeEach
    void start() {
        scheduler = SchedulerFixture.start(Map.of());
        scheduler.hostPod("p", "team-a");
        scheduler.node("p-1", "p", List.of(0, 1, 2, 3), "4GiB");
        deploys = scheduler.bean(DeployService.class);
    }

    @AfterEach
    void stop() {
        scheduler.close();
    }

    private App app(Caller caller, String name) {
        return scheduler.bean(AppService.class).create(caller, new Schema.AppSpec(name, "p", "biu/redis:7",
                List.of("redis-server"), Map.of(), new BigDecimal("0.5"), "64MiB", null, null, null, null, null,
                "/data", null, 1));
    }

    private static void assertForbidden(Executable change, String action) {
        SchedulerException e = assertThrows(SchedulerException.class, change);
        assertEquals(SchedulerError.FORBIDDEN, e.error());
        assertTrue(e.getMessage().contains("by the platform (redis-ctl): a tenant token cannot " + action),
                e.getMessage());
    }

    @Test
    void aTenantCannotScaleRemoveOrDeleteWhatAServiceRunsForIt() {
        assertEquals("redis-ctl", app(REDIS_CTL, "redis-shop").managedBy());
        List<Container> running = deploys.deploy(REDIS_CTL, "redis-shop", new Schema.Deploy(2, null, null, null,
                null, List.of("shard-0", "shard-1")));
        Caller owner = tenant("team-a");

        assertForbidden(() -> deploys.scale(owner, "redis-shop", 0, null), "scale");
        assertForbidden(() -> deploys.remove(owner, running.get(0).id()), "remove a container of");
        assertForbidden(() -> scheduler.bean(VolumeService.class).delete(owner, "redis-shop", "shard-0"),
                "remove a volume of");
        assertForbidden(() -> scheduler.bean(AppService.class).delete(owner, "redis-shop"), "delete");
        assertEquals(2, scheduler.rows("p").size(), "nothing was taken down");

        // deploying more is open: redis-ctl adopts or removes what it does not know of
        assertEquals(1, deploys.deploy(owner, "redis-shop", new Schema.Deploy(1, null, null, null, null)).size());
        // the service and an operator may change it
        assertTrue(deploys.remove(REDIS_CTL, running.get(0).id()));
        assertTrue(deploys.remove(OPERATOR, running.get(1).id()));

        // a tenant's own app stays the tenant's to change
        assertNull(app(owner, "mine").managedBy());
        deploys.deploy(owner, "mine", new Schema.Deploy(1, null, null, null, null, List.of("k")));
        assertEquals(0, deploys.scale(owner, "mine", 0, null).stream()
                .filter(c -> c.state() != io.biu.scheduler.client.ContainerState.REMOVING).count());
    }
}
