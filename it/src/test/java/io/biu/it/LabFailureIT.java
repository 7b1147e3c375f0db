package io.biu.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.HostConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The failure-injection verbs do what later reliability scenarios rely on. */
class LabFailureIT {

    private final Lab lab = Lab.get();

    @Test
    void crashKillsTheNodesDockerdAndContainersAndHealRestartsIt() throws Exception {
        Lab.Node node = lab.node(lab.nodes().size());
        try (LabResources resources = new LabResources(lab, "crash")) {
            String id = resources.start(node.index(), "redis", lab.lab("image.redis"), create -> create
                    .withCmd("redis-server", "--save", "")
                    .withHostConfig(HostConfig.newHostConfig().withNetworkMode("none")));
            long pid = resources.docker(node.index()).inspectContainerCmd(id).exec().getState().getPidLong();
            assertTrue(isRunning(pid), "the container's process should run before the crash");

            try {
                Lab.Run crash = lab.biu("lab", "crash", node.name());
                assertEquals(0, crash.exitCode(), crash.output());
                assertFalse(isRunning(pid), "the container's process survived the crash");
                try (DockerClient fresh = lab.docker(node)) {
                    assertThrows(RuntimeException.class, () -> fresh.pingCmd().exec(),
                            "the crashed node's engine should not answer");
                }
                assertTrue(lab.biu("lab", "status").output().matches("(?s).*" + node.name() + "\\s+crashed.*"),
                        "lab status should report the node as crashed");
            } finally {
                Lab.Run heal = lab.biu("lab", "heal", node.name());
                assertEquals(0, heal.exitCode(), heal.output());
            }

            DockerClient docker = resources.docker(node.index());
            await("engine back").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> docker.pingCmd().exec() == null);
            InspectContainerResponse after = docker.inspectContainerCmd(id).exec();
            assertFalse(after.getState().getRunning(), "a container killed by the crash cannot be running");
        }
    }

    /** Alive and not a zombie: a killed process may wait a while for its reaper (init, here). */
    private static boolean isRunning(long pid) throws java.io.IOException {
        Path stat = Path.of("/proc/" + pid + "/stat");
        if (!Files.exists(stat)) {
            return false;
        }
        String line;
        try {
            line = Files.readString(stat);
        } catch (java.nio.file.NoSuchFileException reaped) {
            return false;
        }
        char state = line.charAt(line.lastIndexOf(')') + 2);
        return state != 'Z' && state != 'X';
    }

    @Test
    void partitionCutsTheNodesEngineOffAndHealReconnectsIt() throws Exception {
        Lab.Node node = lab.node(lab.nodes().size() > 1 ? 2 : 1);
        try (DockerClient docker = lab.docker(node)) {
            docker.pingCmd().exec();
            try {
                Lab.Run partition = lab.biu("lab", "partition", node.name());
                assertEquals(0, partition.exitCode(), partition.output());
                try (DockerClient fresh = lab.docker(node)) {
                    assertThrows(RuntimeException.class, () -> fresh.pingCmd().exec(),
                            "a partitioned node's engine should be out of reach");
                }
                assertTrue(lab.biu("lab", "status").output().matches("(?s).*" + node.name() + "\\s+partitioned.*"));
            } finally {
                Lab.Run heal = lab.biu("lab", "heal", node.name());
                assertEquals(0, heal.exitCode(), heal.output());
            }
            await("engine reachable again").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> docker.pingCmd().exec() == null);
        }
    }
}
