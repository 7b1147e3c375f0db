package io.biu.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Endpoints on request: a tenant issues an endpoint for its cluster and reaches the cluster through either
 * proxy with the password it was given (never with a wrong one, nor without one); redis-ctl shows the
 * endpoint and writes the proxies' figures to InfluxDB; another tenant sees nothing of it; a rotated password
 * replaces the old one after the grace period; a revoked endpoint leaves no container and no listener. The
 * proxies and the cluster's instances run as a user of their own, without capabilities, on a read-only root.
 * A TLS endpoint serves only over TLS, with a certificate naming its proxies that proxy-admin's authority
 * signed, and turns away a client that speaks plain text.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EndpointsIT {

    private static final String TENANT = "endpoints";
    private static final String OTHER = "endpoints-other";

    private final Lab lab = Lab.get();
    private final Scheduler operator = Scheduler.operator(lab);
    private final String name = "ep-" + Long.toHexString(System.nanoTime() & 0xffffff);
    private Scheduler scheduler;
    private Scheduler redisCtl;
    private Scheduler admin;
    private Scheduler otherAdmin;
    private long cluster = -1;
    private String clusterPassword;

    @BeforeAll
    void setUp() {
        Scheduler.ensureLabPod(operator, TENANT);
        Scheduler.ensureLabPod(operator, OTHER);
        String token = operator.issueTenantToken(TENANT);
        scheduler = operator.as(token);
        redisCtl = operator.at(lab.service("redis-ctl.url")).as(token);
        admin = operator.at(lab.service("admin.url")).as(token);
        otherAdmin = operator.at(lab.service("admin.url")).as(operator.issueTenantToken(OTHER));
        JsonNode created = redisCtl.post("/clusters", Map.of("name", name, "pod", "lab", "masters", 3,
                "replicas", 0, "cpu", 0.1, "memory", "64MiB", "persistence", "none")).expect(202).body();
        cluster = created.get("id").asLong();
        clusterPassword = created.get("password").asText();
        await("cluster ready").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250)).until(() ->
                redisCtl.get("/clusters/" + cluster).expect(200).body().get("state").asText().equals("ready"));
    }

    @AfterAll
    void tearDown() {
        for (JsonNode e : admin.get("/endpoints").expect(200).body()) {
            admin.delete("/endpoints/" + e.get("id").asLong());
        }
        if (cluster >= 0) {
            await("cluster deleted").atMost(Duration.ofSeconds(60)).until(() -> {
                redisCtl.delete("/clusters/" + cluster);
                return redisCtl.get("/clusters/" + cluster).status() == 404;
            });
        }
    }

    private static RedisURI uri(String address, String password) {
        String[] hostPort = address.split(":");
        RedisURI.Builder b = RedisURI.builder().withHost(hostPort[0]).withPort(Integer.parseInt(hostPort[1]))
                .withTimeout(Duration.ofSeconds(5));
        return (password == null ? b : b.withAuthentication("default", password.toCharArray())).build();
    }

    private static String ping(String address, String password) {
        RedisClient client = RedisClient.create();
        try (StatefulRedisConnection<String, String> c = client.connect(uri(address, password))) {
            return c.sync().ping();
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    private JsonNode awaitReady(long endpoint) {
        return await("endpoint ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> admin.get("/endpoints/" + endpoint).expect(200).body(),
                        e -> e.get("state").asText().equals("ready"));
    }

    @Test
    void anEndpointServesItsTenantWithItsPasswordUntilRotatedAndRevoked() throws Exception {
        JsonNode issued = admin.post("/endpoints", Map.of("cluster", cluster)).expect(201).body();
        long id = issued.get("id").asLong();
        String password = issued.get("password").asText();
        assertEquals(2, issued.get("addresses").size(), issued.toString());
        JsonNode ready = awaitReady(id);
        Set<String> nodes = new HashSet<>();
        ready.get("proxies").forEach(p -> nodes.add(p.get("node").asText()));
        assertEquals(2, nodes.size(), "the two proxies run on different nodes: " + ready);
        assertNull(admin.get("/endpoints/" + id).expect(200).body().get("password"), "the password is shown once");

        // through either proxy, with the password: the cluster's data, written through one, read through the other
        List<String> addresses = new ArrayList<>();
        issued.get("addresses").forEach(a -> addresses.add(a.asText()));
        RedisClient client = RedisClient.create();
        try (StatefulRedisConnection<String, String> first = client.connect(uri(addresses.get(0), password));
                StatefulRedisConnection<String, String> second = client.connect(uri(addresses.get(1), password))) {
            for (int k = 0; k < 500; k++) {
                first.sync().set("ep:" + k, "v" + k);
            }
            for (int k = 0; k < 500; k++) {
                assertEquals("v" + k, second.sync().get("ep:" + k));
            }
        } finally {
            client.shutdown();
        }
        // ... and never without it, with a wrong one, or with the cluster's own password
        Exception noAuth = assertThrows(RuntimeException.class, () -> ping(addresses.get(0), null));
        assertTrue(causes(noAuth).contains("NOAUTH"), causes(noAuth));
        for (String wrong : List.of("not-the-password", clusterPassword)) {
            Exception refused = assertThrows(RedisConnectionException.class, () -> ping(addresses.get(0), wrong));
            assertTrue(causes(refused).contains("WRONGPASS"), causes(refused));
        }

        // redis-ctl shows the endpoint; the proxies' figures reach InfluxDB
        JsonNode shown = redisCtl.get("/clusters/" + cluster).expect(200).body().get("endpoint");
        assertEquals(id, shown.get("id").asLong(), String.valueOf(shown));
        assertEquals(addresses.size(), shown.get("addresses").size());
        assertEquals(2, (int) await("proxy series").atMost(Duration.ofSeconds(30)).until(() -> lab.influxSeries(
                "SELECT last(commands) FROM proxy WHERE cluster = '" + name + "' AND commands >= 500 GROUP BY proxy"),
                n -> n == 2));

        // the proxies and the cluster's instances run locked down
        List<Long> platformContainers = new ArrayList<>();
        ready.get("proxies").forEach(p -> platformContainers.add(p.get("container").asLong()));
        redisCtl.get("/clusters/" + cluster).expect(200).body().get("instances")
                .forEach(i -> platformContainers.add(i.get("containerId").asLong()));
        assertEquals(2 + 3, platformContainers.size());
        for (long c : platformContainers) {
            assertLockedDown(c);
        }
        // a proxy's native transport still loads where it may write only a small /tmp
        for (JsonNode p : ready.get("proxies")) {
            String logs = engineLogs(p.get("container").asLong());
            assertTrue(logs.contains("transport=epoll"), "proxy " + p + " runs on epoll: " + logs);
        }

        // no database file holds the cluster's password, which redis-ctl keeps and the scheduler holds in the
        // instances' and the proxies' secret files: sealed (the database's own log, which holds every write, is
        // among the files). The endpoint's password is kept nowhere, only its hash.
        List<String> holding = filesHolding(List.of(lab.dataDir.resolve("db"), lab.dataDir.resolve("postgres")),
                List.of(clusterPassword));
        assertEquals(List.of(), holding, "database files that hold a password in the clear");

        // another tenant sees nothing, and cannot touch it
        assertEquals(0, otherAdmin.get("/endpoints").expect(200).body().size());
        assertEquals(404, otherAdmin.get("/endpoints/" + id).status());
        assertEquals(404, otherAdmin.post("/endpoints/" + id + "/rotate", Map.of()).status());
        assertEquals(404, otherAdmin.delete("/endpoints/" + id).status());
        assertEquals(404, otherAdmin.post("/endpoints", Map.of("cluster", cluster)).expect(404).status());

        // rotation: the new password works at once, the old one until the grace ends
        JsonNode rotated = admin.post("/endpoints/" + id + "/rotate", Map.of("graceSeconds", 3)).expect(200).body();
        String next = rotated.get("password").asText();
        assertNotEquals(password, next);
        assertEquals("PONG", ping(addresses.get(1), next));
        assertEquals("PONG", ping(addresses.get(1), password));
        await("old password refused").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    try {
                        ping(addresses.get(0), password);
                        return false;
                    } catch (RedisConnectionException e) {
                        return causes(e).contains("WRONGPASS");
                    }
                });
        assertEquals("PONG", ping(addresses.get(0), next));

        // revocation: no container, and nothing answers at the addresses
        List<Long> containers = new ArrayList<>();
        ready.get("proxies").forEach(p -> containers.add(p.get("container").asLong()));
        admin.delete("/endpoints/" + id).expect(204);
        assertEquals(404, admin.get("/endpoints/" + id).status());
        for (long c : containers) {
            assertEquals(404, scheduler.get("/containers/" + c).status());
        }
        for (String a : addresses) {
            assertThrows(RedisConnectionException.class, () -> ping(a, next), a + " still answers");
        }
        JsonNode gone = redisCtl.get("/clusters/" + cluster).expect(200).body().get("endpoint");
        assertTrue(gone == null || gone.isNull(), "redis-ctl shows no endpoint any more: " + gone);

        // the password appears in no log of the platform
        try (Stream<Path> logs = Files.list(lab.dataDir.resolve("logs"))) {
            for (Path log : logs.toList()) {
                String text = Files.readString(log, StandardCharsets.ISO_8859_1);
                assertFalse(text.contains(password) || text.contains(next), log + " holds an endpoint password");
            }
        }
    }

    /** A scheduler container as its node's engine knows it: that engine's client (to close) and its id there. */
    private record Engine(String what, DockerClient docker, String id) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            docker.close();
        }
    }

    private Engine engineOf(long container) {
        JsonNode row = scheduler.get("/containers/" + container).expect(200).body();
        Lab.Node node = lab.nodes().stream().filter(n -> n.name().equals(row.get("node").asText())).findFirst()
                .orElseThrow();
        return new Engine(row.get("name").asText() + " on " + node.name(), lab.docker(node),
                row.get("engineId").asText());
    }

    /** What a container printed, as its engine keeps it. */
    private String engineLogs(long container) throws IOException, InterruptedException {
        StringBuilder out = new StringBuilder();
        try (Engine engine = engineOf(container)) {
            engine.docker().logContainerCmd(engine.id()).withStdOut(true).withStdErr(true)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                            out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                        }
                    }).awaitCompletion(30, java.util.concurrent.TimeUnit.SECONDS);
        }
        return out.toString();
    }

    /** The files under {@code roots} that hold any of {@code secrets}, as the bytes of its text. */
    private static List<String> filesHolding(List<Path> roots, List<String> secrets) throws IOException {
        List<byte[]> needles = secrets.stream().map(x -> x.getBytes(StandardCharsets.UTF_8))
                .toList();
        List<String> found = new ArrayList<>();
        int scanned = 0;
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            List<Path> files;
            try (Stream<Path> walk = Files.walk(root)) {
                files = walk.filter(Files::isRegularFile).toList();
            }
            for (Path file : files) {
                byte[] bytes;
                try {
                    bytes = Files.readAllBytes(file);
                } catch (java.nio.file.NoSuchFileException gone) {
                    continue;
                }
                scanned++;
                for (byte[] needle : needles) {
                    if (indexOf(bytes, needle) >= 0) {
                        found.add(file.toString());
                        break;
                    }
                }
            }
        }
        assertTrue(scanned > 0, "database files were found under " + roots);
        return found;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /**
     * A platform container as its engine and its kernel see it: not root, no capability, no privilege gain, a
     * read-only root, a pids limit and rotated logs; what it writes (its config's and data's directories, /tmp) is
     * its own.
     */
    private void assertLockedDown(long container) throws IOException {
        InspectContainerResponse engine;
        String what;
        try (Engine on = engineOf(container)) {
            engine = on.docker().inspectContainerCmd(on.id()).exec();
            what = on.what();
        }
        assertEquals("999:999", engine.getConfig().getUser(), what);
        HostConfig host = engine.getHostConfig();
        assertTrue(host.getReadonlyRootfs(), what + " has a read-only root");
        assertEquals(List.of(Capability.ALL), List.of(host.getCapDrop()), what);
        assertTrue(host.getCapAdd() == null || host.getCapAdd().length == 0, what + " is given no capability back");
        assertTrue(host.getSecurityOpts().contains("no-new-privileges:true"), what + ": " + host.getSecurityOpts());
        assertTrue(host.getPidsLimit() != null && host.getPidsLimit() > 0, what + " has a pids limit");
        assertEquals("json-file", host.getLogConfig().getType().getType(), what);
        assertTrue(host.getLogConfig().getConfig().containsKey("max-size"), what + " rotates its logs");
        // the kernel's view of its main process (the init's child)
        long pid = engine.getState().getPidLong();
        Path children = Path.of("/proc/" + pid + "/task/" + pid + "/children");
        String child = Files.readString(children).trim().split(" ")[0];
        Map<String, String> status = new java.util.HashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc/" + child + "/status"))) {
            String[] kv = line.split(":\\s*", 2);
            status.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        assertEquals("999", status.get("Uid").split("\\s+")[0], what + ": " + status.get("Uid"));
        assertEquals(0L, Long.parseLong(status.get("CapEff"), 16), what + " has no effective capability");
        assertEquals(0L, Long.parseLong(status.get("CapBnd"), 16), what + " cannot gain one");
        assertEquals("1", status.get("NoNewPrivs"), what);
    }

    @Test
    void badRequestsAreRefusedWithWhatToFix() {
        assertEquals("INVALID", admin.post("/endpoints", Map.of()).expect(400).body().get("error").asText());
        JsonNode unknown = admin.post("/endpoints", Map.of("cluster", 999_999)).expect(404).body();
        assertTrue(unknown.get("message").asText().contains("no cluster 999999"), unknown.toString());
        JsonNode tooMany = admin.post("/endpoints", Map.of("cluster", cluster, "proxies", 40)).expect(400).body();
        assertTrue(tooMany.get("message").asText().contains("proxies must be between"), tooMany.toString());
        assertEquals(401, admin.as("not-a-token").get("/endpoints").status());
        assertEquals(404, admin.get("/endpoints/424242").status());
        // one endpoint per cluster
        long id = admin.post("/endpoints", Map.of("cluster", cluster, "proxies", 1)).expect(201).body().get("id")
                .asLong();
        try {
            JsonNode twice = admin.post("/endpoints", Map.of("cluster", cluster)).expect(409).body();
            assertTrue(twice.get("message").asText().contains("already has endpoint " + id), twice.toString());
        } finally {
            admin.delete("/endpoints/" + id).expect(204);
        }
    }

    @Test
    void aTlsEndpointServesOnlyOverTlsToClientsThatTrustProxyAdminsAuthority() throws Exception {
        String authority = admin.get("/ca").expect(200).body().get("certificate").asText();
        assertTrue(authority.startsWith("-----BEGIN CERTIFICATE-----"), authority);
        assertEquals(authority, otherAdmin.get("/ca").expect(200).body().get("certificate").asText(),
                "one authority for every tenant's endpoints");
        Path ca = Files.createTempFile("biu-endpoints-ca", ".pem");
        Files.writeString(ca, authority);
        JsonNode issued = admin.post("/endpoints", Map.of("cluster", cluster, "proxies", 1, "tls", true)).expect(201)
                .body();
        long id = issued.get("id").asLong();
        String password = issued.get("password").asText();
        try {
            assertTrue(issued.get("tls").asBoolean(), issued.toString());
            JsonNode ready = awaitReady(id);
            String address = ready.get("addresses").get(0).asText();
            String host = address.substring(0, address.lastIndexOf(':'));
            String port = address.substring(address.lastIndexOf(':') + 1);

            // Lettuce, checking the chain and that the certificate names the proxy's address
            RedisClient client = RedisClient.create();
            client.setOptions(ClientOptions.builder().sslOptions(SslOptions.builder().jdkSslProvider()
                    .trustManager(trusting(authority)).build()).build());
            try (StatefulRedisConnection<String, String> c = client.connect(RedisURI.builder()
                    .withHost(host).withPort(Integer.parseInt(port)).withSsl(true).withVerifyPeer(SslVerifyMode.FULL)
                    .withAuthentication("default", password.toCharArray()).withTimeout(Duration.ofSeconds(5))
                    .build())) {
                for (int k = 0; k < 300; k++) {
                    c.sync().set("tls:" + k, "v" + k);
                }
                for (int k = 0; k < 300; k++) {
                    assertEquals("v" + k, c.sync().get("tls:" + k));
                }
            } finally {
                client.shutdown();
            }

            // redis-cli over TLS with the authority: the same data
            assertEquals("v7", redisCli(password, "--tls", "--cacert", ca.toString(), "-h", host, "-p", port,
                    "GET", "tls:7").trim());
            // ... from a proxy whose TLS is BoringSSL's, its native library loaded in the proxy's container
            String info = redisCli(password, "--tls", "--cacert", ca.toString(), "-h", host, "-p", port, "INFO");
            assertTrue(info.contains("tls_provider:openssl"), info);
            // ... not without trusting it, and not in plain text
            String untrusted = redisCli(password, "--tls", "-h", host, "-p", port, "GET", "tls:7");
            assertTrue(untrusted.contains("certificate verify failed") || untrusted.contains("SSL"), untrusted);
            assertFalse(untrusted.contains("v7"), untrusted);
            Exception plain = assertThrows(RuntimeException.class, () -> ping(address, password));
            assertFalse(causes(plain).contains("PONG"), causes(plain));
            String plainCli = redisCli(password, "-h", host, "-p", port, "GET", "tls:7");
            assertFalse(plainCli.contains("v7"), plainCli);
        } finally {
            admin.delete("/endpoints/" + id).expect(204);
            Files.deleteIfExists(ca);
        }
    }

    /** Trust whose only anchor is {@code pem}. */
    private static TrustManagerFactory trusting(String pem) throws Exception {
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        anchors.setCertificateEntry("authority", CertificateFactory.getInstance("X.509").generateCertificate(
                new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(anchors);
        return trust;
    }

    /** What redis-cli prints (output and errors), the password passed in its environment, never on its line. */
    private static String redisCli(String password, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("timeout", "10", "redis-cli", "--no-auth-warning"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("REDISCLI_AUTH", password);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    private static String causes(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append(" / ");
        }
        return all.toString();
    }
}
