package io.biu.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.biu.redismonitor.client.ActionKind;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
 * redis-monitor scaling real clusters that clients are using through their endpoint.
 *
 * <p>A 3-master cluster of 64 MiB instances ({@code noeviction}) is filled through its proxy endpoint at a steady
 * rate that would reach the scale-out threshold in under a minute and, left alone, fill it past its maxmemory; the
 * monitor scales it out before any instance is full (no OOM error, no eviction), slots move, and the mean falls under
 * the threshold. The data is then deleted, and after the idle window the cluster shrinks back to its minimum. A
 * verifying client loops through the endpoint the whole time and sees no error and no wrong or lost key.
 *
 * <p>With every node of the pod cordoned, a needed scale-out is recorded as blocked with the reason and deploys
 * nothing. A monitor halted right after each step of a scale-out in turn (a test-only crash point) leaves, once a
 * new monitor took over, exactly one outcome: one more master, no duplicate instance, no orphan container.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisMonitorIT {

    private static final String TENANT = "monitor";
    private static final int VALUE_BYTES = 1000;

    private final Lab lab = Lab.get();
    private final Scheduler operator = Scheduler.operator(lab);
    private final String run = Long.toHexString(System.nanoTime() & 0xffffff);
    private final List<Long> clusters = new ArrayList<>();
    private final Map<String, String> figures = new LinkedHashMap<>();
    private Scheduler scheduler;
    private Scheduler redisCtl;
    private Scheduler monitor;
    private Scheduler admin;
    private String token;
    private RedisClient client;

    @BeforeAll
    void setUp() {
        Scheduler.ensureLabPod(operator, TENANT);
        token = operator.issueTenantToken(TENANT);
        scheduler = operator.as(token);
        redisCtl = operator.at(lab.service("redis-ctl.url")).as(token);
        monitor = operator.at(lab.service("redis-monitor.url")).as(token);
        admin = operator.at(lab.service("admin.url")).as(token);
        client = RedisClient.create();
    }

    @AfterAll
    void tearDown() {
        uncordonAll();
        for (long id : clusters) {
            monitor.delete("/policies/" + id);
            for (JsonNode e : admin.get("/endpoints").expect(200).body()) {
                if (e.get("cluster").asLong() == id) {
                    admin.delete("/endpoints/" + e.get("id").asLong());
                }
            }
            await("cluster " + id + " deleted").atMost(Duration.ofSeconds(90)).until(() -> {
                redisCtl.delete("/clusters/" + id);
                return redisCtl.get("/clusters/" + id).status() == 404;
            });
        }
        client.shutdown();
        figures.forEach((k, v) -> System.out.println("[monitor figures] " + k + ": " + v));
    }

    private record Created(long id, String name, String password) {
    }

    private Created createCluster(String name, int masters) {
        JsonNode created = redisCtl.post("/clusters", Map.of("name", name, "pod", "lab", "masters", masters,
                "replicas", 0, "cpu", 0.1, "memory", "64MiB", "persistence", "none")).expect(202).body();
        long id = created.get("id").asLong();
        clusters.add(id);
        await("cluster " + name + " ready").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    JsonNode c = redisCtl.get("/clusters/" + id).expect(200).body();
                    assertNotEquals("failed", c.get("state").asText(), () -> "the cluster failed: " + c.get("task"));
                    return c.get("state").asText();
                }, "ready"::equals);
        return new Created(id, name, created.get("password").asText());
    }

    private JsonNode cluster(long id) {
        return redisCtl.get("/clusters/" + id).expect(200).body();
    }

    private static List<JsonNode> activeMasters(JsonNode cluster) {
        List<JsonNode> masters = new ArrayList<>();
        cluster.get("instances").forEach(i -> {
            if (i.get("state").asText().equals("active") && i.get("role").asText().equals("master")) {
                masters.add(i);
            }
        });
        return masters;
    }

    private static boolean idle(JsonNode cluster) {
        JsonNode task = cluster.get("task");
        return task == null || task.isNull() || !Set.of("pending", "running").contains(task.get("state").asText());
    }

    // ---------------------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void aClusterFilledThroughItsEndpointGrowsBeforeItIsFullAndShrinksBackWhenIdle() throws Exception {
        Created c = createCluster("grows-" + run, 3);
        long maxmemory = cluster(c.id()).get("maxmemory").asLong();
        // short windows for a test; thresholds are the defaults (out at 80% mean or 90% on one, in under 30%)
        monitor.put("/policies/" + c.id(), Map.of("minMasters", 3, "maxMasters", 6, "sustain", "2s",
                "forecastHorizon", "20s", "growthWindow", "15s", "cooldownAfterOut", "8s", "idleWindow", "10s",
                "cooldownAfterIn", "3s", "staleAfter", "5s")).expect(200);

        JsonNode endpoint = admin.post("/endpoints", Map.of("cluster", c.id())).expect(201).body();
        String[] address = endpoint.get("addresses").get(0).asText().split(":");
        RedisURI uri = RedisURI.builder().withHost(address[0]).withPort(Integer.parseInt(address[1]))
                .withAuthentication("default", endpoint.get("password").asText().toCharArray())
                .withTimeout(Duration.ofSeconds(20)).build();
        await("endpoint serving").atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> {
            try (StatefulRedisConnection<String, String> probe = client.connect(uri)) {
                return "PONG".equals(probe.sync().ping());
            }
        });

        // enough data for 105% of the three masters' maxmemory, at a rate that reaches 80% in about 50 s
        long perKey = VALUE_BYTES + 90;
        int keys = (int) (1.05 * 3 * maxmemory / perKey);
        int perSecond = (int) (0.8 * 3 * maxmemory / perKey / 50);
        Set<String> originalMasters = new HashSet<>();
        activeMasters(cluster(c.id())).forEach(m -> originalMasters.add(m.get("redisId").asText()));

        try (ProxyLoad verifying = new ProxyLoad(client, uri, "verify-" + run + ":");
                Watcher watcher = new Watcher(c, originalMasters)) {
            verifying.start(1);
            watcher.start();
            Instant fillStart = Instant.now();
            Filler filler = new Filler(uri, "fill-" + run + ":", keys, perSecond);
            filler.run();
            figures.put("fill", keys + " keys of " + VALUE_BYTES + " B at " + perSecond + " keys/s ("
                    + Duration.between(fillStart, Instant.now()).toSeconds() + " s), " + filler.errors.size()
                    + " errors");
            assertEquals(List.of(), filler.errors.subList(0, Math.min(5, filler.errors.size())),
                    "writes filling the cluster failed (an OOM means the monitor scaled out too late)");

            JsonNode grown = await("scale-out finished, the mean under the threshold").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(1)).until(() -> cluster(c.id()), g -> idle(g)
                            && activeMasters(g).size() > 3 && watcher.meanRatio() < 0.8 && noRunningAction(c.id()));
            int peakMasters = activeMasters(grown).size();
            List<JsonNode> outs = decisions(c.id(), "scale-out");
            assertTrue(!outs.isEmpty(), "a scale-out decision is recorded");
            JsonNode first = outs.get(outs.size() - 1);
            assertTrue(first.get("action").get("task").asLong() > 0, "the decision names the task: " + first);
            assertTrue(watcher.peakRatio() < 1.0, "no instance reached its maxmemory: " + watcher.peakRatio());
            assertEquals(0, watcher.evicted(), "nothing evicted");

            Instant decided = Instant.parse(first.get("at").asText());
            Instant finished = Instant.parse(first.get("action").get("finishedAt").asText());
            figures.put("first scale-out", first.get("reason").asText() + " at mean "
                    + percent(first.get("inputs").get("meanRatio").asDouble()) + ", max "
                    + percent(first.get("inputs").get("maxRatio").asDouble()) + ", adding " + first.get("masters")
                    + " (" + outs.size() + " scale-out" + (outs.size() == 1 ? "" : "s") + " in all, to " + peakMasters
                    + " masters)");
            figures.put("threshold (80% mean) first crossed", watcher.crossed == null ? "never: the forecast acted first"
                    : watcher.crossed.toString());
            figures.put("decision to first slot moved", watcher.firstSlotMoved == null ? "?"
                    : Duration.between(decided, watcher.firstSlotMoved).toMillis() + " ms"
                    + (watcher.crossed == null ? "" : "; from the threshold crossing: "
                            + Duration.between(watcher.crossed, watcher.firstSlotMoved).toMillis() + " ms"));
            figures.put("decision to scale-out finished", Duration.between(decided, finished).toMillis() + " ms");
            figures.put("keys moved per second (join's migrate step)", keysPerSecond(first.get("action").get("task")
                    .asLong(), watcher));
            figures.put("peak memory use", percent(watcher.peakRatio()) + " of maxmemory on the fullest master, mean "
                    + percent(watcher.peakMean()));

            // most data goes: after the idle window the cluster shrinks back to its minimum, one master at a time
            filler.delete();
            assertEquals(List.of(), filler.errors.subList(0, Math.min(5, filler.errors.size())), "deleting failed");
            Instant emptied = Instant.now();
            await("back to 3 masters").atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> cluster(c.id()), g -> idle(g) && activeMasters(g).size() == 3
                            && noRunningAction(c.id()));
            figures.put("shrink back to 3 masters after the data went", Duration.between(emptied, Instant.now())
                    .toSeconds() + " s (" + decisions(c.id(), "scale-in").size() + " scale-ins)");
            JsonNode shrunk = cluster(c.id());
            shrunk.get("instances").forEach(i -> assertEquals("active", i.get("state").asText(),
                    "no drained instance left behind: " + i));
            List<Long> containers = new ArrayList<>();
            scheduler.get("/apps/redis-" + c.name() + "/containers").expect(200).body()
                    .forEach(k -> containers.add(k.get("id").asLong()));
            assertEquals(3, containers.size(), "the drained masters' containers are removed: " + containers);

            verifying.stop();
            assertEquals(List.of(), verifying.errors(), "the verifying client saw no error");
            assertEquals(List.of(), verifying.wrongReads(), "the verifying client read no wrong value");
            assertEquals(List.of(), verifying.verify(), "every acknowledged key is there");
            figures.put("verifying client", verifying.writes() + " writes, " + verifying.reads()
                    + " reads, 0 errors");
            assertTrue(verifying.writes() > 1000, "the verifying client kept writing: " + verifying.writes());
        }
        assertTrue(lab.influxSeries("SELECT count(\"masters\") FROM scaling_decision WHERE \"cluster\" = '"
                + c.name() + "'") > 0, "decisions are annotations in InfluxDB");
    }

    private boolean noRunningAction(long id) {
        for (JsonNode a : monitor.get("/clusters/" + id + "/actions").expect(200).body()) {
            if (a.get("state").asText().equals("running")) {
                return false;
            }
        }
        return true;
    }

    private List<JsonNode> decisions(long id, String kind) {
        List<JsonNode> found = new ArrayList<>();
        for (JsonNode d : monitor.get("/clusters/" + id + "/decisions").expect(200).body()) {
            if (d.get("decision").asText().equals(kind)) {
                found.add(d);
            }
        }
        return found;
    }

    /** Keys on the first scale-out's new masters when it finished, over its join task's migrate step. */
    private String keysPerSecond(long task, Watcher watcher) {
        JsonNode t = redisCtl.get("/tasks/" + task).expect(200).body();
        long migrateMs = 0;
        for (JsonNode timing : t.get("timings")) {
            if (timing.get("step").asText().equals("migrate")) {
                migrateMs = timing.get("tookMs").asLong();
            }
        }
        long moved = watcher.keysOnNewMastersAtFirstScaleOut();
        if (migrateMs == 0 || moved <= 0) {
            return "not measured (migrate step " + migrateMs + " ms, " + moved + " keys)";
        }
        return String.format("%,d keys in %d ms: %,d/s (keys on the new masters as the scale-out finished, "
                + "which includes some the filler wrote meanwhile)", moved, migrateMs, moved * 1000 / migrateMs);
    }

    private static String percent(double ratio) {
        return String.format("%.1f%%", ratio * 100);
    }

    /**
     * Writes {@code count} keys of {@link #VALUE_BYTES} through the endpoint at {@code perSecond}, pipelined, then
     * (on {@link #delete}) unlinks them; every failed command is kept.
     */
    private final class Filler {
        private final RedisURI uri;
        private final String prefix;
        private final int count;
        private final int perSecond;
        private final List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());

        Filler(RedisURI uri, String prefix, int count, int perSecond) {
            this.uri = uri;
            this.prefix = prefix;
            this.count = count;
            this.perSecond = perSecond;
        }

        void run() throws InterruptedException {
            String value = "v".repeat(VALUE_BYTES);
            try (StatefulRedisConnection<String, String> c = client.connect(uri)) {
                RedisAsyncCommands<String, String> async = c.async();
                long start = System.nanoTime();
                int batch = Math.max(1, perSecond / 20);
                for (int sent = 0; sent < count; ) {
                    List<RedisFuture<String>> futures = new ArrayList<>();
                    for (int i = 0; i < batch && sent < count; i++, sent++) {
                        futures.add(async.set(prefix + sent, value));
                    }
                    await(futures);
                    long due = start + (long) sent * 1_000_000_000L / perSecond;
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                }
            }
        }

        void delete() {
            try (StatefulRedisConnection<String, String> c = client.connect(uri)) {
                RedisAsyncCommands<String, String> async = c.async();
                for (int from = 0; from < count; from += 500) {
                    String[] batch = new String[Math.min(500, count - from)];
                    for (int i = 0; i < batch.length; i++) {
                        batch[i] = prefix + (from + i);
                    }
                    await(List.of(async.unlink(batch)));
                }
            }
        }

        private void await(List<? extends RedisFuture<?>> futures) {
            for (RedisFuture<?> f : futures) {
                try {
                    f.get(30, TimeUnit.SECONDS);
                } catch (Exception e) {
                    errors.add(e.toString());
                }
            }
        }
    }

    /**
     * Every 250 ms, INFO of each active master (straight from the instances): the peak ratio of any master, the peak
     * and current mean, evictions, when the mean first reached 80%, and when a master that was not there at the start
     * first owned slots.
     */
    private final class Watcher implements AutoCloseable {
        private final Created c;
        private final Set<String> original;
        private final Map<String, StatefulRedisConnection<String, String>> connections = new HashMap<>();
        private final AtomicLong evicted = new AtomicLong();
        private volatile double peakRatio;
        private volatile double peakMean;
        private volatile double meanRatio;
        private volatile Instant crossed;
        private volatile Instant firstSlotMoved;
        private volatile long keysOnNewMasters = -1;
        private volatile boolean running = true;
        private Thread thread;

        Watcher(Created c, Set<String> original) {
            this.c = c;
            this.original = original;
        }

        void start() {
            thread = new Thread(this::loop, "monitor-watcher");
            thread.start();
        }

        private void loop() {
            List<JsonNode> masters = List.of();
            long lastView = 0;
            while (running) {
                try {
                    if (System.nanoTime() - lastView > 1_000_000_000L) {
                        JsonNode view = cluster(c.id());
                        masters = activeMasters(view);
                        lastView = System.nanoTime();
                        for (JsonNode m : masters) {
                            JsonNode slots = m.get("slots");
                            if (firstSlotMoved == null && !original.contains(m.get("redisId").asText())
                                    && slots != null && slots.size() > 0) {
                                firstSlotMoved = Instant.now();
                            }
                        }
                    }
                    long used = 0;
                    long max = 0;
                    long evictions = 0;
                    long newKeys = 0;
                    for (JsonNode m : masters) {
                        Map<String, String> info = info(m);
                        if (!original.contains(m.get("redisId").asText())) {
                            String db = info.getOrDefault("db0", "keys=0,");
                            newKeys += Long.parseLong(db.substring(db.indexOf("keys=") + 5, db.indexOf(',')));
                        }
                        long u = Long.parseLong(info.get("used_memory"));
                        long x = Long.parseLong(info.get("maxmemory"));
                        used += u;
                        max += x;
                        evictions += Long.parseLong(info.get("evicted_keys"));
                        peakRatio = Math.max(peakRatio, (double) u / x);
                    }
                    if (max > 0) {
                        meanRatio = (double) used / max;
                        peakMean = Math.max(peakMean, meanRatio);
                        if (crossed == null && meanRatio >= 0.8) {
                            crossed = Instant.now();
                        }
                    }
                    evicted.accumulateAndGet(evictions, Math::max);
                    if (keysOnNewMasters < 0 && firstScaleOutDone()) {
                        keysOnNewMasters = newKeys;
                    }
                } catch (RuntimeException e) {
                    // a master drained away between the view and its INFO: next round
                }
                try {
                    Thread.sleep(250);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private boolean firstScaleOutDone() {
            for (JsonNode a : monitor.get("/clusters/" + c.id() + "/actions").expect(200).body()) {
                if (a.get("kind").asText().equals("scale-out") && a.get("state").asText().equals("done")) {
                    return true;
                }
            }
            return false;
        }

        long keysOnNewMastersAtFirstScaleOut() {
            return keysOnNewMasters;
        }

        private Map<String, String> info(JsonNode m) {
            String key = m.get("address").asText() + ":" + m.get("port").asInt();
            StatefulRedisConnection<String, String> conn = connections.computeIfAbsent(key, k -> client.connect(
                    RedisURI.builder().withHost(m.get("address").asText()).withPort(m.get("port").asInt())
                            .withPassword(c.password().toCharArray()).withTimeout(Duration.ofSeconds(2)).build()));
            Map<String, String> fields = new HashMap<>();
            for (String line : conn.sync().info().split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    fields.put(line.substring(0, colon), line.substring(colon + 1));
                }
            }
            return fields;
        }

        double peakRatio() {
            return peakRatio;
        }

        double peakMean() {
            return peakMean;
        }

        double meanRatio() {
            return meanRatio;
        }

        long evicted() {
            return evicted.get();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.join(5000);
            connections.values().forEach(StatefulRedisConnection::close);
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    private Created small;

    @Test
    @Order(2)
    void aScaleOutThePodHasNoRoomForIsRecordedAsBlockedAndDeploysNothing() {
        small = createCluster("small-" + run, 1);
        Set<Long> before = appContainers(small.name());
        List<String> nodes = new ArrayList<>();
        operator.get("/nodes").expect(200).body().forEach(n -> {
            if (n.get("pod").asText().equals("lab")) {
                nodes.add(n.get("name").asText());
            }
        });
        try {
            nodes.forEach(n -> operator.put("/nodes/" + n + "/cordon", Map.of("cordoned", true)).expect(200));
            // one master, a minimum of two: a scale-out is needed at once
            monitor.put("/policies/" + small.id(), Map.of("minMasters", 2, "maxMasters", 4, "staleAfter", "5s"))
                    .expect(200);
            JsonNode blocked = await("blocked decision").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500)).until(() -> {
                        List<JsonNode> found = decisions(small.id(), "blocked");
                        return found.isEmpty() ? null : found.get(0);
                    }, java.util.Objects::nonNull);
            assertEquals("no-capacity", blocked.get("reason").asText(), blocked.toString());
            assertEquals("below-minimum", blocked.get("trigger").asText(), blocked.toString());
            assertTrue(blocked.get("why").asText().contains("cordoned"), "the reason names what is in the way: "
                    + blocked.get("why"));
            assertEquals(0, blocked.get("inputs").get("capacity").asInt(), blocked.toString());
            figures.put("blocked decision", blocked.get("why").asText());
            // it stays blocked, without an action or a container
            sleep(3000);
            assertEquals(List.of(), decisions(small.id(), "scale-out"), "no scale-out was started");
            assertTrue(monitor.get("/clusters/" + small.id() + "/actions").expect(200).body().isEmpty(),
                    "no action");
            assertEquals(before, appContainers(small.name()), "nothing deployed");
            assertEquals(1, decisions(small.id(), "blocked").size(), "a repeated block is recorded once");
        } finally {
            monitor.delete("/policies/" + small.id()).expect(200);
            uncordonAll();
        }
        // the other tenants see none of it
        Scheduler other = operator.at(lab.service("redis-monitor.url")).as(operator.issueTenantToken("monitor-other"));
        assertEquals(404, other.get("/clusters/" + small.id() + "/decisions").status());
        assertEquals(404, other.get("/policies/" + small.id()).status());
        assertTrue(other.get("/decisions").expect(200).body().isEmpty());
        // a policy that makes no sense is refused with what is wrong
        JsonNode refused = monitor.put("/policies/" + small.id(), Map.of("scaleInLow", 0.7)).expect(400).body();
        assertTrue(refused.get("message").asText().contains("targetMean"), refused.toString());
        assertEquals(400, monitor.put("/policies/" + small.id(), Map.of("idleWindow", "soon")).status());
        JsonNode kept = monitor.get("/policies/" + small.id()).expect(200).body();
        assertTrue(kept.path("chosen").isMissingNode() || kept.get("chosen").isNull(),
                "the refused policies were not stored: " + kept);
    }

    private void uncordonAll() {
        operator.get("/nodes").expect(200).body().forEach(n -> {
            if (n.path("cordoned").asBoolean(false)) {
                operator.put("/nodes/" + n.get("name").asText() + "/cordon", Map.of("cordoned", false));
            }
        });
    }

    private Set<Long> appContainers(String name) {
        Set<Long> ids = new TreeSet<>();
        scheduler.get("/apps/redis-" + name + "/containers").expect(200).body().forEach(k -> ids.add(k.get("id")
                .asLong()));
        return ids;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    @Test
    @Order(3)
    void aMonitorHaltedAfterAnyStepOfAScaleOutLeavesExactlyOneOutcome() throws Exception {
        Created c = small != null ? small : createCluster("small-" + run, 1);
        Path database = Files.createTempDirectory("redis-monitor-crashes");
        Map<String, String> outcomes = new LinkedHashMap<>();
        for (String step : ActionKind.SCALE_OUT.stepIds()) {
            int masters = activeMasters(cluster(c.id())).size();
            try (ServiceProcess crashing = monitorProcess(database, "crash-" + step, step)) {
                operator.at(crashing.url).as(token).put("/policies/" + c.id(), Map.of("minMasters", masters + 1,
                        "maxMasters", masters + 1, "staleAfter", "5s")).expect(200);
                assertEquals(137, crashing.awaitExit(Duration.ofSeconds(90)), "halted after " + step);
            }
            try (ServiceProcess taker = monitorProcess(database, "resume-" + step, null)) {
                Scheduler api = operator.at(taker.url).as(token);
                JsonNode done = await("one outcome after a halt at " + step).atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(500)).until(() -> cluster(c.id()), g -> idle(g)
                                && activeMasters(g).size() == masters + 1 && noRunning(api, c.id()));
                Set<Long> members = new TreeSet<>();
                done.get("instances").forEach(i -> members.add(i.get("containerId").asLong()));
                assertEquals(masters + 1, members.size(), "no duplicate instance after a halt at " + step);
                assertEquals(members, appContainers(c.name()), "no orphan container after a halt at " + step);
                List<String> states = new ArrayList<>();
                api.get("/clusters/" + c.id() + "/actions").expect(200).body().forEach(a -> states.add(
                        a.get("state").asText()));
                outcomes.put(step, String.join(",", states));
            }
        }
        figures.put("halted scale-outs (actions, newest first)", outcomes.toString());
    }

    private static boolean noRunning(Scheduler api, long id) {
        for (JsonNode a : api.get("/clusters/" + id + "/actions").expect(200).body()) {
            if (a.get("state").asText().equals("running")) {
                return false;
            }
        }
        return true;
    }

    /** A monitor process of its own (database included), so the instance's monitor knows nothing of its policies. */
    private ServiceProcess monitorProcess(Path database, String name, String crashAfter) throws Exception {
        Map<String, String> s = new ConcurrentHashMap<>();
        s.put("datasources.default.url", "jdbc:h2:file:" + database.resolve("redis_monitor")
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0");
        s.put("datasources.default.driver-class-name", "org.h2.Driver");
        s.put("datasources.default.username", "sa");
        s.put("datasources.default.password", "");
        if (crashAfter != null) {
            s.put("biu.crash-after", crashAfter);
        }
        return ServiceProcess.start(lab, "redis-monitor", name, s);
    }
}
