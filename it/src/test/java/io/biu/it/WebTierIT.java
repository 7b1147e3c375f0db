package io.biu.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The web tier: the instance's nginx (Debian's, with Biu's Lua modules) in front of the demo web app, whose
 * containers the scheduler runs. nginx follows the app's containers on the bus: scaled from 3 to 6 and down to 2 under
 * load, every new container gets traffic and no request fails; a restarted bus, a reloaded nginx and a stream trimmed
 * past nginx's position leave traffic flowing and the peer list converges to the scheduler's truth. redis-monitor's
 * web policy grows the app when the request rate rises past its threshold and shrinks it when the load goes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebTierIT {

    private final Lab lab = Lab.get();
    private final Scheduler operator = Scheduler.operator(lab);
    private final Map<String, String> figures = new LinkedHashMap<>();
    private String tenant;
    private String app;
    private Scheduler scheduler;
    private Scheduler monitor;
    private String nginx;
    private String status;

    @BeforeAll
    void setUp() {
        tenant = lab.service("web.tenant");
        app = lab.service("web.app");
        Scheduler.ensureLabPod(operator, tenant);
        String token = operator.issueTenantToken(tenant);
        scheduler = operator.as(token);
        monitor = operator.at(lab.service("redis-monitor.url")).as(token);
        nginx = lab.service("nginx.url");
        status = lab.service("nginx.status.url");
    }

    @AfterAll
    void tearDown() {
        monitor.delete("/web-policies/" + app);
        scale(2);
        figures.forEach((k, v) -> System.out.println("[web tier figures] " + k + ": " + v));
    }

    // --- the scheduler's truth and nginx's view -------------------------------------------------------------

    private List<JsonNode> scale(int replicas) {
        List<JsonNode> all = new ArrayList<>();
        scheduler.put("/apps/" + app + "/scale", Map.of("replicas", replicas)).expect(200).body().forEach(all::add);
        return all;
    }

    /** host:port of the app's containers that run and passed their probe. */
    private Set<String> readyPeers() {
        Set<String> peers = new TreeSet<>();
        scheduler.get("/apps/" + app + "/containers").expect(200).body().forEach(c -> {
            if (c.get("state").asText().equals("running") && c.get("ready").asBoolean()) {
                peers.add(c.get("address").asText() + ":80");
            }
        });
        return peers;
    }

    private Set<String> readyNames() {
        Set<String> names = new TreeSet<>();
        scheduler.get("/apps/" + app + "/containers").expect(200).body().forEach(c -> {
            if (c.get("state").asText().equals("running") && c.get("ready").asBoolean()) {
                names.add(c.get("name").asText());
            }
        });
        return names;
    }

    private JsonNode nginxStatus() {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(status))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return Scheduler.JSON.readTree(r.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private Set<String> nginxPeers() {
        Set<String> peers = new TreeSet<>();
        nginxStatus().get("apps").get(app).get("peers").forEach(p -> peers.add(p.get("addr").asText()));
        return peers;
    }

    /** Waits until the scheduler has {@code count} ready containers and nginx routes to exactly those. */
    private Set<String> awaitConverged(int count, String what) {
        return await(what).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            Set<String> truth = readyPeers();
            return truth.size() == count && truth.equals(nginxPeers()) ? truth : null;
        }, java.util.Objects::nonNull);
    }

    // --- a client looping through nginx ----------------------------------------------------------------------

    /** Threads GETting /cgi-bin/host through nginx (paced when {@code perSecond} > 0): statuses, failures, hosts. */
    private final class Load implements AutoCloseable {
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final Map<String, Instant> firstSeen = new ConcurrentHashMap<>();
        private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        private final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        private final AtomicLong ok = new AtomicLong();
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean running = true;

        Load(int threads, int perSecond) {
            for (int t = 0; t < threads; t++) {
                long gapNanos = perSecond > 0 ? 1_000_000_000L * threads / perSecond : 0;
                Thread thread = new Thread(() -> loop(gapNanos), "web-load-" + t);
                this.threads.add(thread);
                thread.start();
            }
        }

        private void loop(long gapNanos) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(nginx + "/cgi-bin/host"))
                    .timeout(Duration.ofSeconds(15)).build();
            long next = System.nanoTime();
            while (running) {
                try {
                    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                    statuses.computeIfAbsent(r.statusCode(), s -> new AtomicLong()).incrementAndGet();
                    if (r.statusCode() == 200) {
                        ok.incrementAndGet();
                        firstSeen.putIfAbsent(r.body().trim(), Instant.now());
                    } else {
                        failures.add(r.statusCode() + ": " + r.body().trim());
                    }
                } catch (IOException e) {
                    failures.add(e.toString());
                } catch (InterruptedException e) {
                    return;
                }
                if (gapNanos > 0) {
                    next += gapNanos;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        try {
                            TimeUnit.NANOSECONDS.sleep(wait);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
            }
        }

        boolean served(Set<String> names) {
            return firstSeen.keySet().containsAll(names);
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            for (Thread t : threads) {
                t.join(20_000);
            }
        }

        String summary() {
            return ok.get() + " requests answered 200, " + failures.size() + " failed " + statuses;
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void nginxFollowsTheAppFromThreeToSixToTwoContainersWithoutAFailedRequest() throws Exception {
        scale(3);
        awaitConverged(3, "nginx routes to 3 containers");
        try (Load load = new Load(6, 0)) {
            Set<String> three = readyNames();
            await("each of the 3 containers served").atMost(Duration.ofSeconds(20)).until(() -> load.served(three));

            Instant grown = Instant.now();
            scale(6);
            awaitConverged(6, "nginx routes to 6 containers");
            Set<String> six = readyNames();
            await("each of the 6 containers served").atMost(Duration.ofSeconds(20)).until(() -> load.served(six));
            long slowest = 0;
            for (String name : six) {
                if (!three.contains(name)) {
                    slowest = Math.max(slowest, Duration.between(grown, load.firstSeen.get(name)).toMillis());
                }
            }
            figures.put("scale 3 -> 6: last new container's first request after the scale call", slowest + " ms");

            scale(2);
            awaitConverged(2, "nginx routes to the 2 remaining containers");
            // the load goes on for a while on the 2 left, so that any request still sent to a removed one is counted
            Thread.sleep(2000);
            load.close();
            figures.put("3 -> 6 -> 2 under load", load.summary());
            assertEquals(List.of(), load.failures.subList(0, Math.min(10, load.failures.size())),
                    "no request failed while the app scaled");
            assertTrue(load.ok.get() > 500, "the load ran: " + load.summary());
        }
    }

    @Test
    @Order(2)
    void aRestartedBusAReloadedNginxAndATrimmedStreamLeaveTrafficFlowingAndPeersTrue() throws Exception {
        awaitConverged(2, "2 containers");
        Path data = lab.dataDir;
        try (Load load = new Load(4, 0)) {
            // the bus goes away and comes back (its AOF keeps the stream and the membership)
            busCli("shutdown").start().waitFor(30, TimeUnit.SECONDS);
            await("the bus down").atMost(Duration.ofSeconds(15)).until(() -> !answers());
            scale(3);
            run("redis-server", data.resolve("bus/redis.conf").toString());
            Set<String> afterBus = awaitConverged(3, "peers true after a bus restart");

            // nginx reloads: its new workers take the snapshot again
            Path prefix = data.resolve("nginx");
            String oldFollower = nginxStatus().get("follower").get("worker_pid").asText();
            run("nginx", "-s", "reload", "-p", prefix.toString(), "-c", prefix.resolve("conf/nginx.conf").toString());
            await("a new worker follows the bus").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                    .ignoreExceptions().until(() -> {
                        JsonNode follower = nginxStatus().get("follower");
                        return !follower.get("worker_pid").asText().equals(oldFollower)
                                && follower.get("state").asText().equals("tailing");
                    });
            assertEquals(afterBus, nginxPeers(), "the peers survive a reload");
            scale(2);
            awaitConverged(2, "peers true after a reload");

            // the follower is held while the app changes and the stream is trimmed past its position
            JsonNode before = nginxStatus();
            String worker = before.get("follower").get("worker_pid").asText();
            String position = before.get("apps").get(app).get("position").asText();
            run("kill", "-STOP", worker);
            try {
                scale(4);
                await("4 ready").atMost(Duration.ofSeconds(30)).until(() -> readyPeers().size() == 4);
                Process trim = busCli("xtrim", "biu:events", "MAXLEN", "0").redirectErrorStream(true).start();
                String trimmed = new String(trim.getInputStream().readAllBytes()).trim();
                assertTrue(trim.waitFor(30, TimeUnit.SECONDS) && trimmed.matches("\\d+"), "XTRIM: " + trimmed);
            } finally {
                run("kill", "-CONT", worker);
            }
            Set<String> afterTrim = awaitConverged(4, "peers true after the stream was trimmed past nginx ("
                    + position + ")");
            JsonNode after = nginxStatus();
            assertTrue(after.get("apps").get(app).get("snapshot_at").asDouble()
                    > before.get("apps").get(app).get("snapshot_at").asDouble(), "a fresh snapshot was taken: "
                    + after.get("apps").get(app));
            scale(2);
            awaitConverged(2, "peers true after scaling down again");
            load.close();
            figures.put("bus restart, reload, trimmed stream", load.summary() + "; peers after the trim: " + afterTrim);
            assertEquals(List.of(), load.failures.subList(0, Math.min(10, load.failures.size())),
                    "no request failed");
            assertTrue(load.ok.get() > 200, "the load ran: " + load.summary());
        }
    }

    @Test
    @Order(3)
    void theWebPolicyGrowsTheAppUnderLoadAndShrinksItWhenTheLoadGoes() throws Exception {
        awaitConverged(2, "2 containers");
        // the earlier scenarios' load must have left nginx's rate (a mean over 10 s) before this one starts
        await("nginx reports the app idle").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> nginxStatus().get("apps").get(app).get("requests_per_second").asDouble() < 1);
        Instant start = Instant.now();
        monitor.put("/web-policies/" + app, Map.of("minContainers", 2, "maxContainers", 4, "targetRps", 15,
                "sustain", "2s", "idleWindow", "5s", "cooldownAfterOut", "4s", "cooldownAfterIn", "2s",
                "staleAfter", "5s")).expect(200);
        Instant loaded;
        try (Load load = new Load(4, 80)) {
            loaded = Instant.now();
            await("the app grows to 4").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> readyPeers().size() == 4);
            figures.put("80 requests/s against 15 per container: grown to 4 after",
                    Duration.between(loaded, Instant.now()).toSeconds() + " s");
            awaitConverged(4, "nginx routes to the 4");
            load.close();
            assertEquals(List.of(), load.failures.subList(0, Math.min(10, load.failures.size())),
                    "no request failed while the app grew");
        }
        Instant idle = Instant.now();
        await("the app shrinks back to 2").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> readyPeers().size() == 2 && scheduler.get("/apps/" + app + "/containers").expect(200)
                        .body().size() == 2);
        figures.put("load gone: shrunk to 2 after", Duration.between(idle, Instant.now()).toSeconds() + " s");
        List<JsonNode> made = new ArrayList<>();
        monitor.get("/web-policies/" + app + "/decisions").expect(200).body().forEach(d -> {
            if (!Instant.parse(d.get("at").asText()).isBefore(start)) {
                made.add(d);
            }
        });
        List<String> kinds = new ArrayList<>();
        made.forEach(d -> kinds.add(
                d.get("decision").asText() + " " + d.get("containers").asInt() + "->" + d.get("wanted").asInt() + " ("
                        + d.get("reason").asText() + ", " + Math.round(d.get("rps").asDouble()) + " rps)"));
        figures.put("web decisions (newest first)", kinds.toString());
        assertTrue(kinds.stream().anyMatch(k -> k.startsWith("scale-out")), "a scale-out was recorded: " + kinds);
        made.forEach(d -> {
            if (d.get("decision").asText().equals("scale-out")) {
                assertTrue(d.get("rps").asDouble() < 100, "the load of 80 requests/s made it grow: " + d);
            }
        });
        assertTrue(kinds.stream().anyMatch(k -> k.startsWith("scale-in")), "a scale-in was recorded: " + kinds);
        assertEquals(404, operator.at(lab.service("redis-monitor.url")).as(operator.issueTenantToken("web-other"))
                .get("/web-policies/" + app).status(), "another tenant sees no such app");
        assertEquals(400, monitor.put("/web-policies/" + app, Map.of("minContainers", 3, "maxContainers", 2))
                .status(), "a policy that makes no sense is refused");
    }

    /** Whether a Redis on this loopback port answers PING. */
    /** redis-cli on the bus as its operator's user, the password in the environment (never on a command line). */
    private ProcessBuilder busCli(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("redis-cli", "--no-auth-warning", "--user",
                lab.infra("bus.user"), "-p", lab.infra("bus.port")));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("REDISCLI_AUTH", Files.readString(Path.of(lab.infra("bus.password.file"))).trim());
        return pb;
    }

    private boolean answers() throws IOException, InterruptedException {
        Process p = busCli("ping").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        return p.waitFor(10, TimeUnit.SECONDS) && "PONG".equals(out);
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", command) + " did not end");
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out);
    }
}
