package io.biu.scheduler.container;

import static io.biu.scheduler.SchedulerFixture.tenant;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.scheduler.SchedulerFixture;
import io.biu.scheduler.app.App;
import io.biu.scheduler.app.AppService;
import io.biu.scheduler.client.Schema;
import io.biu.scheduler.engine.Engine;
import io.biu.scheduler.engine.FakeEngine;
import io.biu.scheduler.error.SchedulerError;
import io.biu.scheduler.error.SchedulerException;
import io.biu.scheduler.node.NodeRepository;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An app's security reaches its containers: the user they run as and own their files as, a read-only root whose
 * files' directories are volumes of their own (files cannot be delivered into a read-only root otherwise, and the
 * fake engine refuses as Docker does), capabilities given back; and what cannot be given is refused with what to fix.
 */
class HardeningTest {

    private static final String TENANT = "team-a";
    private SchedulerFixture scheduler;

    @BeforeEach
    void start() {
        scheduler = SchedulerFixture.start(Map.of());
        scheduler.hostPod("p", TENANT);
        scheduler.node("p-1", "p", List.of(0, 1, 2, 3), "4GiB");
    }

    @AfterEach
    void stop() {
        scheduler.close();
    }

    private static Schema.FileSpec file(String path) {
        return new Schema.FileSpec(path, Base64.getEncoder().encodeToString(path.getBytes(StandardCharsets.UTF_8)),
                "0400");
    }

    private App app(String name, List<Schema.FileSpec> files, String volume, Schema.Security security) {
        return scheduler.bean(AppService.class).create(tenant(TENANT), new Schema.AppSpec(name, "p", "biu/redis:7",
                List.of("redis-server"), Map.of(), new BigDecimal("0.5"), "64MiB", null, null, null, null, files,
                volume, null, 1, security));
    }

    private FakeEngine.Held deployed(String app) {
        Container c = scheduler.deploy(TENANT, app, 1).get(0);
        FakeEngine engine = scheduler.engine(scheduler.bean(NodeRepository.class).findById(c.nodeId()).orElseThrow());
        return engine.container(c.name()).orElseThrow();
    }

    @Test
    void aLockedAppRunsAsItsUserOnAReadOnlyRootWithItsFilesInVolumesOfTheirOwn() {
        app("locked", List.of(file("/etc/redis/redis.conf"), file("/etc/redis/users.acl"), file("/run/biu/token"),
                file("/data/seed.rdb")), "/data", Schema.Security.locked("999:999", "/var/lib/app", "/data/scratch"));
        FakeEngine.Held held = deployed("locked");
        Engine.Hardening hardening = held.spec().hardening();
        assertEquals("999:999", hardening.user());
        assertTrue(hardening.readOnlyRoot());
        assertEquals(List.of(), hardening.capabilities());
        // a volume per directory to write, none for one in the data volume, which is writable anyway
        assertEquals(List.of("/etc/redis", "/run/biu", "/var/lib/app"), hardening.writableDirs());
        assertEquals(FakeEngine.Status.RUNNING, held.status());
        assertEquals(4, held.files().size(), "every file was delivered: " + held.files().keySet());
    }

    @Test
    void anAppThatSaysNothingRunsAsItsImageSaysWithAWritableRoot() {
        app("plain", List.of(file("/run/secrets/token")), null, null);
        Engine.Hardening hardening = deployed("plain").spec().hardening();
        assertNull(hardening.user());
        assertFalse(hardening.readOnlyRoot());
        assertEquals(List.of(), hardening.writableDirs());
        App stored = scheduler.bean(AppService.class).get(tenant(TENANT), "plain");
        assertEquals(new Schema.Security(null, false, List.of(), List.of()), stored.securityOrDefault());
    }

    @Test
    void capabilitiesAskedForAreGivenBackAndNoOthers() {
        app("low-port", List.of(), null, new Schema.Security(null, false, List.of("NET_BIND_SERVICE"), null));
        assertEquals(List.of("NET_BIND_SERVICE"), deployed("low-port").spec().hardening().capabilities());
    }

    @Test
    void whatCannotBeGivenIsRefusedWithWhatToFix() {
        assertRefused("root", "is not a numeric uid", List.of(), new Schema.Security("root", null, null, null));
        assertRefused("neg", "is not a numeric uid", List.of(), new Schema.Security("-1", null, null, null));
        assertRefused("admin", "SYS_ADMIN cannot be given back", List.of(),
                new Schema.Security(null, null, List.of("SYS_ADMIN"), null));
        assertRefused("raw", "NET_RAW cannot be given back", List.of(),
                new Schema.Security(null, null, List.of("NET_RAW"), null));
        for (String dir : List.of("/", "relative", "/a/../etc", "/a b")) {
            assertRefused("dir", "is not an absolute directory path", List.of(), Schema.Security.locked("1", dir));
        }
        for (String dir : List.of("/tmp", "/proc/self", "/dev")) {
            assertRefused("kernel", "is mounted by it", List.of(), Schema.Security.locked("1", dir));
        }
        assertRefused("top", "in the root directory, which is read-only", List.of(file("/token")),
                Schema.Security.locked("1000"));
        assertTrue(scheduler.bean(AppService.class).list(tenant(TENANT)).isEmpty(), "nothing was created");
    }

    private void assertRefused(String name, String message, List<Schema.FileSpec> files, Schema.Security security) {
        SchedulerException e = assertThrows(SchedulerException.class, () -> app(name, files, null, security));
        assertEquals(SchedulerError.INVALID_REQUEST, e.error());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }
}
