package io.biu.scheduler.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import io.biu.scheduler.ContainerLimits;
import io.biu.scheduler.cpu.DockerCpu;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

/** What the engine is asked for: every container locked down, and an app's own security on top. */
class DockerEngineHardeningTest {

    private static final ContainerLimits LIMITS = new ContainerLimits(256, "5m", 2, 8);

    private static Engine.Spec spec(Engine.Hardening hardening) {
        return new Engine.Spec("c", "biu/redis:7", List.of(), Map.of(), Map.of(), "net", "10.0.0.2",
                new DockerCpu("0", 1024, 0, 0), 64L << 20, null, Duration.ofSeconds(1), hardening);
    }

    @Test
    void everyContainerLosesItsCapabilitiesAndPrivilegeGainAndHasLimits() {
        HostConfig host = DockerEngine.hostConfig(spec(Engine.Hardening.NONE), LIMITS);
        assertArrayEquals(new Capability[] {Capability.ALL}, host.getCapDrop());
        assertNull(host.getCapAdd());
        assertEquals(List.of("no-new-privileges:true"), host.getSecurityOpts());
        assertEquals(256L, host.getPidsLimit());
        assertEquals(LogConfig.LoggingType.JSON_FILE, host.getLogConfig().getType());
        assertEquals(Map.of("max-size", "5m", "max-file", "2"), host.getLogConfig().getConfig());
        assertFalse(Boolean.TRUE.equals(host.getReadonlyRootfs()));
        assertNull(host.getTmpFs());
    }

    @Test
    void aReadOnlyRootGetsASmallTmpAndAskedCapabilitiesComeBack() {
        HostConfig host = DockerEngine.hostConfig(spec(new Engine.Hardening("999:999", true,
                List.of("NET_BIND_SERVICE"), List.of("/etc/redis"))), LIMITS);
        assertTrue(host.getReadonlyRootfs());
        assertEquals(Map.of("/tmp", "rw,exec,nosuid,nodev,size=8m,mode=1777"), host.getTmpFs());
        assertArrayEquals(new Capability[] {Capability.NET_BIND_SERVICE}, host.getCapAdd());
        assertArrayEquals(new Capability[] {Capability.ALL}, host.getCapDrop());
    }

    @Test
    void filesAreOwnedByTheUserAndRelativeToTheirDirectory() throws IOException {
        List<Engine.File> files = List.of(new Engine.File("/etc/redis/redis.conf", 0400, new byte[] {1, 2}),
                new Engine.File("/etc/redis/users.acl", 0440, new byte[] {3}));
        List<TarArchiveEntry> entries = entries(DockerEngine.tar("/etc/redis", files, "999:1000"));
        assertEquals(List.of("redis.conf", "users.acl"), entries.stream().map(TarArchiveEntry::getName).toList());
        for (TarArchiveEntry e : entries) {
            assertEquals(999L, e.getLongUserId());
            assertEquals(1000L, e.getLongGroupId());
        }
        assertEquals(0400, entries.get(0).getMode() & 07777);
        assertEquals(0440, entries.get(1).getMode() & 07777);
        // a bare uid is its own group; no user is root
        assertEquals(1234L, entries(DockerEngine.tar("/etc/redis", files, "1234")).get(0).getLongGroupId());
        TarArchiveEntry root = entries(DockerEngine.tar("", files, null)).get(0);
        assertEquals("etc/redis/redis.conf", root.getName());
        assertEquals(0L, root.getLongUserId());
        assertThrows(IllegalArgumentException.class, () -> DockerEngine.tar("/run", files, null));
    }

    private static List<TarArchiveEntry> entries(byte[] tar) throws IOException {
        List<TarArchiveEntry> entries = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                entries.add(e);
            }
        }
        return entries;
    }
}
