package io.biu.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The scheduler on the lab: 8 containers of 0.5 cores and 256 MiB spread over 3 nodes get exactly the
 * cpuset, shares and memory they were planned (as the engine reports and as the kernel's cgroups say),
 * answer on their MacVLAN addresses with their secret file delivered, and give back exactly what they
 * held when removed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SchedulerDeployIT {

    private static final long MEMORY = 256L * 1024 * 1024;
    private static final String CAPACITY = "/pods/lab/capacity?cpu=0.5&memory=256MiB";

    private final Lab lab = Lab.get();
    private final LabResources resources = new LabResources(lab, "deploy");
    private final Scheduler operator = Scheduler.operator(lab);
    private Scheduler tenant;
    private int capacityBefore;
    private final List<JsonNode> deployed = new ArrayList<>();
    /** Unique per run, so that the scenario also runs against an instance that ran it before. */
    private final String app = "web-" + Long.toHexString(System.nanoTime() & 0xffffff);

    @BeforeAll
    void podNodesAndApp() {
        Scheduler.ensureLabPod(operator, "deploy");
        tenant = operator.as(operator.issueTenantToken("deploy"));
        tenant.post("/apps", Map.of("name", app, "pod", "lab", "image", lab.lab("image.web"), "cpu", 0.5,
                "memory", "256MiB", "probe", Map.of("tcp", 80), "files", List.of(Map.of("path", "/www/secret.txt",
                        "content", Base64.getEncoder().encodeToString("hello\n".getBytes()), "mode", "0444"))))
                .expect(201);
        capacityBefore = tenant.get(CAPACITY).expect(200).body().get("total").asInt();
    }

    @AfterAll
    void cleanUp() {
        try {
            tenant.put("/apps/" + app + "/scale", Map.of("replicas", 0));
            tenant.delete("/apps/" + app).expect(204);
        } finally {
            resources.close();
        }
    }

    @Test
    @Order(1)
    void deploysEightContainersSpreadOverTheNodes() {
        JsonNode containers = tenant.post("/apps/" + app + "/containers", Map.of("count", 8)).expect(201).body();
        containers.forEach(deployed::add);
        assertEquals(8, deployed.size());
        Map<String, Long> perNode = deployed.stream().collect(Collectors.groupingBy(c -> c.get("node").asText(),
                Collectors.counting()));
        assertEquals(lab.nodes().size(), perNode.size(), "spread over every node: " + perNode);
        long most = perNode.values().stream().mapToLong(Long::longValue).max().orElseThrow();
        long least = perNode.values().stream().mapToLong(Long::longValue).min().orElseThrow();
        assertTrue(most - least <= 1, "spread evenly: " + perNode);
        assertTrue(deployed.stream().allMatch(c -> c.get("state").asText().equals("running")), deployed.toString());
        assertEquals(capacityBefore - 8, tenant.get(CAPACITY).expect(200).body().get("total").asInt());
    }

    @Test
    @Order(2)
    void enginesAndCgroupsCarryThePlannedCpusetSharesAndMemory() throws Exception {
        Map<String, Map<Integer, Integer>> piecesPerCore = new HashMap<>();
        for (JsonNode c : deployed) {
            int node = nodeIndex(c);
            List<Integer> cpuset = new ArrayList<>();
            c.get("cpuset").forEach(core -> cpuset.add(core.asInt()));
            assertEquals(1, cpuset.size(), "half a core is one fragment on one core: " + c);
            piecesPerCore.computeIfAbsent(c.get("node").asText(), n -> new HashMap<>()).merge(cpuset.get(0), 5,
                    Integer::sum);
            String expectedCpuset = cpuset.stream().map(String::valueOf).collect(Collectors.joining(","));

            InspectContainerResponse inspect = resources.docker(node).inspectContainerCmd(c.get("engineId").asText())
                    .exec();
            assertEquals(expectedCpuset, inspect.getHostConfig().getCpusetCpus(), c.toString());
            assertEquals(512, inspect.getHostConfig().getCpuShares(), c.toString());
            assertEquals(MEMORY, inspect.getHostConfig().getMemory(), c.toString());
            assertEquals(MEMORY, inspect.getHostConfig().getMemorySwap(), c.toString());
            assertEquals(c.get("address").asText(), inspect.getNetworkSettings().getNetworks().values().iterator()
                    .next().getIpAddress());

            Cgroups cgroups = Cgroups.of(inspect.getState().getPidLong());
            assertEquals(expectedCpuset, cgroups.read("cpuset", "cpuset.cpus"), c.toString());
            assertEquals("512", cgroups.read("cpu", "cpu.shares"), c.toString());
            assertEquals(String.valueOf(MEMORY), cgroups.read("memory", "memory.limit_in_bytes"), c.toString());
            assertEquals(String.valueOf(MEMORY), cgroups.read("memory", "memory.memsw.limit_in_bytes"));
        }
        piecesPerCore.forEach((node, cores) -> cores.forEach((core, pieces) -> assertTrue(pieces <= 10,
                node + " core " + core + " holds " + pieces + " of 10 pieces")));
    }

    @Test
    @Order(3)
    void everyContainerAnswersOnItsOwnAddressWithItsSecretFile() throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        Set<String> addresses = new HashSet<>();
        for (JsonNode c : deployed) {
            String address = c.get("address").asText();
            assertTrue(addresses.add(address), "address " + address + " handed out twice");
            String secret = http.send(HttpRequest.newBuilder(URI.create("http://" + address + "/secret.txt")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertEquals("hello\n", secret, address);
            String host = http.send(HttpRequest.newBuilder(URI.create("http://" + address + "/cgi-bin/host")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertEquals(c.get("name").asText() + "\n", host, "the request reached the container it was sent to");
        }
    }

    @Test
    @Order(4)
    void everyContainersUsageReachesInfluxDb() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        String query = "SELECT last(memory_bytes) FROM container WHERE app = '" + app + "' GROUP BY container";
        URI uri = URI.create(lab.infra("influxdb.url") + "/query?db=" + lab.infra("influxdb.database") + "&q="
                + java.net.URLEncoder.encode(query, java.nio.charset.StandardCharsets.UTF_8));
        org.awaitility.Awaitility.await("a sample of every container").atMost(Duration.ofSeconds(30))
                .until(() -> {
                    JsonNode result = Scheduler.JSON.readTree(http.send(HttpRequest.newBuilder(uri).build(),
                            HttpResponse.BodyHandlers.ofString()).body()).get("results").get(0);
                    return result.has("series") ? result.get("series").size() : 0;
                }, series -> series == deployed.size());
    }

    @Test
    @Order(5)
    void secretsNeverShowInLabelsEnvironmentOrTheApi() {
        JsonNode view = tenant.get("/apps/" + app).expect(200).body();
        assertTrue(!view.toString().contains("aGVsbG8"), "the API must not return file contents: " + view);
        for (JsonNode c : deployed) {
            InspectContainerResponse inspect = resources.docker(nodeIndex(c))
                    .inspectContainerCmd(c.get("engineId").asText()).exec();
            String config = inspect.getConfig().getLabels() + " " + List.of(inspect.getConfig().getEnv());
            assertTrue(!config.contains("hello"), "the secret leaked into labels or environment: " + config);
            assertEquals(app, inspect.getConfig().getLabels().get("biu.app"));
            assertEquals("deploy", inspect.getConfig().getLabels().get("biu.tenant"));
        }
    }

    @Test
    @Order(6)
    void aDeploymentThatDoesNotFitIsRefusedWholeAndSaysWhy() {
        int free = tenant.get(CAPACITY).expect(200).body().get("total").asInt();
        JsonNode error = tenant.post("/apps/" + app + "/containers", Map.of("count", free + 1)).expect(422).body();
        assertEquals("CAPACITY_EXHAUSTED", error.get("error").asText());
        assertTrue(error.get("message").asText().contains(free + " would fit"), error.toString());
        assertTrue(error.get("message").asText().contains("with too little CPU"), error.toString());
        assertEquals(8, tenant.get("/apps/" + app + "/containers").expect(200).body().size(), "nothing was half-created");
    }

    @Test
    @Order(7)
    void removingFreesExactlyWhatWasReserved() {
        for (JsonNode c : deployed) {
            JsonNode result = tenant.delete("/containers/" + c.get("id").asText()).expect(200).body();
            assertTrue(result.get("removed").asBoolean(), result.toString());
            String engineId = c.get("engineId").asText();
            try {
                resources.docker(nodeIndex(c)).inspectContainerCmd(engineId).exec();
                throw new AssertionError("container " + c.get("name") + " is still on its engine");
            } catch (NotFoundException gone) {
                // removed from the engine, as it should be
            }
        }
        assertEquals(capacityBefore, tenant.get(CAPACITY).expect(200).body().get("total").asInt());
        assertEquals(0, tenant.get("/apps/" + app + "/containers").expect(200).body().size());
    }

    @Test
    @Order(8)
    void aDataVolumeLivesOnTheNodesStorageAndGoesWithItsContainer() {
        String withVolume = app + "-data";
        tenant.post("/apps", Map.of("name", withVolume, "pod", "lab", "image", lab.lab("image.redis"), "cpu", 0.1,
                "memory", "32MiB", "volume", "/data", "stopGraceSeconds", 2,
                "command", List.of("redis-server", "--dir", "/data", "--appendonly", "yes", "--protected-mode",
                        "no"))).expect(201);
        try {
            JsonNode c = tenant.post("/apps/" + withVolume + "/containers", Map.of("count", 1)).expect(201).body()
                    .get(0);
            String volume = c.get("name").asText() + "-data";
            var docker = resources.docker(nodeIndex(c));
            String mountpoint = docker.inspectVolumeCmd(volume).exec().getMountpoint();
            assertTrue(mountpoint.startsWith(lab.dataDir + "/nodes/" + c.get("node").asText() + "/"),
                    "the volume is on its node's storage: " + mountpoint);
            tenant.delete("/containers/" + c.get("id").asText()).expect(200);
            try {
                docker.inspectVolumeCmd(volume).exec();
                throw new AssertionError("volume " + volume + " outlived its container");
            } catch (NotFoundException gone) {
                // removed with its container
            }
        } finally {
            tenant.put("/apps/" + withVolume + "/scale", Map.of("replicas", 0));
            tenant.delete("/apps/" + withVolume);
        }
    }

    private int nodeIndex(JsonNode container) {
        String node = container.get("node").asText();
        return lab.nodes().stream().filter(n -> n.name().equals(node)).findFirst().orElseThrow().index();
    }
}
