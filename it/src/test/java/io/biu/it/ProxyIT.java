package io.biu.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.SlotHash;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The Biu proxy in front of a real cluster: one 3x1 cluster formed by redis-ctl and one proxy container
 * deployed through the scheduler (image {@code image.proxy}, its settings as a secret file). Clients that
 * know nothing of Redis Cluster (redis-cli, redis-benchmark, Lettuce in standalone mode, a raw socket) talk
 * to the proxy as to one Redis server: it authenticates them with its own password, splits multi-key
 * commands over slots and merges the replies in order, scans every master, keeps a 10,000-command pipeline
 * in order, and hides slot moves and a manual failover from a looping client entirely. A hard-killed master
 * costs clients errors only for a bounded window (measured and printed, with the writes lost). Through all
 * three disruptions, one connection's commands run in the order it sent them, as on one Redis server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProxyIT {

    private static final String TENANT = "proxy";
    private static final int PORT = 6379;
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);
    /** How long the proxy retries a command through failovers and moves. */
    private static final long RETRY_WINDOW_MS = 10_000;
    private static final io.lettuce.core.protocol.ProtocolKeyword BIUPROXY =
            () -> "BIUPROXY".getBytes(StandardCharsets.US_ASCII);

    private final Lab lab = Lab.get();
    private final Scheduler operator = Scheduler.operator(lab);
    private final LabResources resources = new LabResources(lab, "proxy");
    private final String run = Long.toHexString(System.nanoTime() & 0xffffff);
    private final String name = "proxied-" + run;
    private final String proxyApp = "biuproxy-" + run;
    /** What clients of the proxy authenticate with: the proxy's own, not the cluster's. */
    private final String clientPassword = "pw-" + UUID.randomUUID();
    private final String adminSecret = "admin-" + UUID.randomUUID();
    /** Tells the proxy the cluster's instances every second, as proxy-admin's sync does for the proxies it runs. */
    /** proxy-admin's kind of client: nothing sent on connecting, as a proxy answers only its challenge before AUTH. */
    private final RedisClient adminClient = RedisClient.create();
    private final java.util.concurrent.ScheduledExecutorService memberSync = java.util.concurrent.Executors
            .newSingleThreadScheduledExecutor();
    private Scheduler scheduler;
    private Scheduler redisCtl;
    private long id = -1;
    private String password;
    private boolean appCreated;
    private JsonNode proxyContainer;
    private String proxy;
    private RedisClient viaProxy;
    private RedisClient direct;
    private final Set<String> figures = new java.util.LinkedHashSet<>();
    /** Per disruption (5, 6, 7): the streamed lists whose numbers came back out of order. */
    private final Map<String, List<String>> disorders = new LinkedHashMap<>();

    @BeforeAll
    void setUp() {
        Scheduler.ensureLabPod(operator, TENANT);
        String token = operator.issueTenantToken(TENANT);
        scheduler = operator.as(token);
        redisCtl = operator.at(lab.service("redis-ctl.url")).as(token);
        viaProxy = RedisClient.create();
        direct = RedisClient.create();

        JsonNode created = redisCtl.post("/clusters", Map.of("name", name, "pod", "lab", "masters", 3,
                "replicas", 1, "cpu", 0.1, "memory", "64MiB", "persistence", "none")).expect(202).body();
        id = created.get("id").asLong();
        password = created.get("password").asText();
        JsonNode cluster = await("cluster ready").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    JsonNode c = redisCtl.get("/clusters/" + id).expect(200).body();
                    assertNotEquals("failed", c.get("state").asText(), () -> "the cluster failed: " + c.get("task"));
                    return c;
                }, c -> c.get("state").asText().equals("ready"));
        List<String> seeds = new ArrayList<>();
        cluster.get("instances").forEach(i -> seeds.add(i.get("address").asText() + ":" + i.get("port").asInt()));

        Properties settings = new Properties();
        settings.setProperty("port", String.valueOf(PORT));
        settings.setProperty("threads", "1");
        settings.setProperty("seeds", String.join(",", seeds));
        settings.setProperty("members", String.join(",", seeds));
        settings.setProperty("admin.password", sha256(adminSecret));
        settings.setProperty("backend.password", password);
        settings.setProperty("passwords", sha256(clientPassword));
        settings.setProperty("retry-window-ms", String.valueOf(RETRY_WINDOW_MS));
        settings.setProperty("refresh-interval-ms", "2000");
        settings.setProperty("connect-timeout-ms", "500");
        settings.setProperty("idle-timeout-ms", "300000");
        settings.setProperty("max-clients", "200");
        settings.setProperty("max-request-bytes", String.valueOf(8 << 20));
        // below the 10,000-command pipeline, so that the proxy pauses reading that client and resumes
        settings.setProperty("max-pipeline", "1024");
        StringWriter file = new StringWriter();
        try {
            settings.store(file, "ProxyIT " + run);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        scheduler.post("/apps", Map.of("name", proxyApp, "pod", "lab", "image", lab.lab("image.proxy"),
                "cpu", 0.5, "memory", "256MiB", "probe", Map.of("tcp", PORT),
                "files", List.of(Map.of("path", "/etc/biu/proxy.properties", "mode", "0400", "content",
                        Base64.getEncoder().encodeToString(file.toString().getBytes(StandardCharsets.UTF_8))))))
                .expect(201);
        appCreated = true;
        long container = scheduler.post("/apps/" + proxyApp + "/containers", Map.of("count", 1)).expect(201).body()
                .get(0).get("id").asLong();
        proxyContainer = await("proxy container ready").atMost(Duration.ofSeconds(60))
                .until(() -> scheduler.get("/containers/" + container).expect(200).body(),
                        c -> c.get("ready").asBoolean());
        proxy = proxyContainer.get("address").asText();
        // listening is not serving: the proxy has read the slot table once every slot has a master
        await("the proxy knows the cluster").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> proxyInfo(), info -> field(info, "cluster_masters").equals("3")
                        && field(info, "cluster_slots_unserved").equals("0"));
        adminClient.setOptions(io.lettuce.core.ClientOptions.builder()
                .protocolVersion(io.lettuce.core.protocol.ProtocolVersion.RESP2).pingBeforeActivateConnection(false)
                .build());
        memberSync.scheduleWithFixedDelay(this::tellMembers, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** The cluster's instances as redis-ctl has them (joining to suspect), told to the proxy as proxy-admin would. */
    private void tellMembers() {
        try {
            List<String> members = new ArrayList<>();
            redisCtl.get("/clusters/" + id).expect(200).body().get("instances").forEach(i -> {
                if (Set.of("joining", "active", "draining", "suspect").contains(i.get("state").asText())) {
                    members.add(i.get("address").asText() + ":" + i.get("port").asInt());
                }
            });
            RedisURI admin = RedisURI.builder().withHost(proxy).withPort(PORT).withTimeout(Duration.ofSeconds(3))
                    .build();
            try (StatefulRedisConnection<String, String> c = adminClient.connect(admin)) {
                // as proxy-admin: the proxy's challenge, answered with HMAC-SHA256 under the secret's hash
                String challenge = c.sync().dispatch(BIUPROXY, new io.lettuce.core.output.StatusOutput<>(
                        io.lettuce.core.codec.StringCodec.UTF8), new io.lettuce.core.protocol.CommandArgs<>(
                        io.lettuce.core.codec.StringCodec.UTF8).add("CHALLENGE"));
                javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
                mac.init(new javax.crypto.spec.SecretKeySpec(java.util.HexFormat.of().parseHex(sha256(adminSecret)),
                        "HmacSHA256"));
                c.sync().auth("biu-admin", java.util.HexFormat.of().formatHex(mac.doFinal(
                        java.util.HexFormat.of().parseHex(challenge))));
                c.sync().dispatch(BIUPROXY, new io.lettuce.core.output.StatusOutput<>(
                        io.lettuce.core.codec.StringCodec.UTF8),
                        new io.lettuce.core.protocol.CommandArgs<>(io.lettuce.core.codec.StringCodec.UTF8)
                                .add("MEMBERS").add(String.join(",", members)));
            }
        } catch (RuntimeException | java.security.GeneralSecurityException e) {
            System.out.println("could not tell the proxy the cluster's instances: " + e);
        }
    }

    @AfterAll
    void tearDown() {
        memberSync.shutdownNow();
        adminClient.shutdown();
        try {
            if (proxyContainer != null) {
                String log = proxyLog();
                List<String> lines = log.lines().toList();
                System.out.println("proxy log (last 30 of " + lines.size() + " lines):\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
            }
        } catch (RuntimeException e) {
            System.out.println("cannot read the proxy's log: " + e);
        }
        System.out.println("ProxyIT figures: " + figures);
        try {
            if (viaProxy != null) {
                viaProxy.shutdown();
            }
            if (direct != null) {
                direct.shutdown();
            }
            if (appCreated) {
                scheduler.put("/apps/" + proxyApp + "/scale", Map.of("replicas", 0));
                await("proxy app deleted").atMost(Duration.ofSeconds(60)).until(() -> {
                    scheduler.delete("/apps/" + proxyApp);
                    return scheduler.get("/apps/" + proxyApp).status() == 404;
                });
            }
            if (id >= 0) {
                // healing after the kill may still be running: the cluster is deleted once it is done
                await("cluster deleted").atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                    redisCtl.delete("/clusters/" + id);
                    return redisCtl.get("/clusters/" + id).status() == 404;
                });
            }
        } finally {
            resources.close();
        }
    }

    // ---- 1. authentication

    @Test
    @Order(1)
    void clientsAuthenticateWithTheProxysPasswordAndAreToldToUseResp2() {
        try (Wire w = new Wire(proxy)) {
            assertError("NOAUTH", w.call("GET", "auth:x"));
            assertError("NOAUTH", w.call("SET", "auth:x", "1"));
            assertError("WRONGPASS", w.call("AUTH", "not-" + clientPassword));
            assertError("NOAUTH", w.call("GET", "auth:x"), "a wrong password leaves the client unauthenticated");
            assertError("WRONGPASS", w.call("AUTH", "default", password),
                    "the cluster's own password is not a client password of the proxy");
            assertEquals("OK", w.call("AUTH", clientPassword));
            assertEquals("OK", w.call("SET", "auth:x", "1"));
            assertEquals("1", w.call("GET", "auth:x"));
        }
        try (Wire w = new Wire(proxy)) {
            assertError("WRONGPASS", w.call("AUTH", "someone", clientPassword), "only the default user exists");
            assertEquals("OK", w.call("AUTH", "default", clientPassword));
            assertEquals("PONG", w.call("PING"));
            assertEquals("1", w.call("GET", "auth:x"));
        }
        try (Wire w = new Wire(proxy)) {
            assertError("NOPROTO", w.call("HELLO", "3"), "RESP3 refused, so that clients fall back to RESP2");
            assertError("NOPROTO", w.call("HELLO", "3", "AUTH", "default", clientPassword));
            assertError("NOAUTH", w.call("GET", "auth:x"));
            Object hello = w.call("HELLO", "2", "AUTH", "default", clientPassword);
            List<?> fields = assertInstanceOf(List.class, hello, "HELLO 2 answers its map as an array");
            int proto = fields.indexOf("proto");
            assertTrue(proto >= 0, "HELLO reply: " + hello);
            assertEquals(2L, fields.get(proto + 1));
            assertEquals("1", w.call("GET", "auth:x"));
        }
        // Lettuce opens with HELLO 3 AUTH ...; told NOPROTO, it falls back to AUTH default <password> on RESP2
        withProxy(r -> {
            assertEquals("PONG", r.ping());
            assertEquals("1", r.get("auth:x"));
            return null;
        });
        RedisURI wrong = RedisURI.builder().withHost(proxy).withPort(PORT).withAuthentication("default",
                "nope".toCharArray()).withTimeout(COMMAND_TIMEOUT).build();
        String refused = causes(assertThrows(RuntimeException.class, () -> viaProxy.connect(wrong).close()));
        assertTrue(refused.contains("WRONGPASS"), "Lettuce with a wrong password is refused: " + refused);
    }

    // ---- 2. real clients

    @Test
    @Order(2)
    void redisCliAndRedisBenchmarkRunThroughTheProxy() throws Exception {
        List<String> keys = IntStream.range(0, 100).mapToObj(i -> "cli:" + i).toList();
        assertTrue(keys.stream().map(SlotHash::getSlot).distinct().count() > 90, "keys in many slots");
        List<String> mset = new ArrayList<>(List.of("MSET"));
        keys.forEach(k -> {
            mset.add(k);
            mset.add("v-" + k);
        });
        assertEquals("OK", cli(mset).trim());
        assertEquals("OK", cli(List.of("SET", "cli:single", "one")).trim());
        assertEquals("one", cli(List.of("GET", "cli:single")).trim());
        List<String> mget = new ArrayList<>(List.of("MGET"));
        mget.addAll(keys);
        mget.add("cli:absent");
        List<String> expected = new ArrayList<>(keys.stream().map(k -> "v-" + k).toList());
        expected.add("");
        assertEquals(expected, cli(mget).lines().toList(), "MGET's values in the order of its keys");
        assertEquals("4", cli(List.of("EXISTS", "cli:0", "cli:50", "cli:99", "cli:single", "cli:absent")).trim(),
                "EXISTS over slots sums");
        // mass insertion: redis-cli --pipe ends its stream with ECHO and waits for it
        StringBuilder pipe = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            pipe.append(resp("SET", "clipipe:" + i, "p" + i));
        }
        String piped = run(pipe.toString(), List.of("redis-cli", "-h", proxy, "-p", String.valueOf(PORT),
                "--no-auth-warning", "--pipe"));
        assertTrue(piped.contains("errors: 0, replies: 1000"), "redis-cli --pipe: " + piped);
        Set<String> scanned = new HashSet<>(cli(List.of("--scan", "--pattern", "cli:*")).lines()
                .toList());
        Set<String> all = new HashSet<>(keys);
        all.add("cli:single");
        assertEquals(all, scanned, "redis-cli --scan finds every cli: key");
        assertEquals(1000, cli(List.of("--scan", "--pattern", "clipipe:*")).lines().distinct()
                .count(), "every key of the --pipe insertion");
        assertEquals(List.of("p0", "p999"), cli(List.of("MGET", "clipipe:0", "clipipe:999")).lines().toList());

        String bench = run("", List.of("redis-benchmark", "-h", proxy, "-p", String.valueOf(PORT), "-a",
                clientPassword, "-t", "set,get,incr,lpush,mset", "-n", "20000", "-r", "10000", "-c", "20", "-q"));
        // -q still prints progress, each line overwritten with a CR: keep the last of each
        List<String> summary = bench.lines().map(l -> l.substring(l.lastIndexOf('\r') + 1).trim())
                .filter(l -> !l.isEmpty()).toList();
        System.out.println("redis-benchmark through the proxy:\n" + String.join("\n", summary));
        figures.add("benchmark " + summary.stream().filter(l -> l.contains("requests per second")).toList());
        for (String test : List.of("SET", "GET", "INCR", "LPUSH", "MSET")) {
            assertTrue(summary.stream().anyMatch(l -> l.startsWith(test) && l.contains("requests per second")),
                    test + " ran: " + summary);
        }
        // the proxy does not run CONFIG, which redis-benchmark only asks for to print the server's settings
        List<String> errorLines = summary.stream().filter(l -> l.toLowerCase(java.util.Locale.ROOT).contains("err")
                && !l.equals("WARNING: Could not fetch server CONFIG")).toList();
        assertEquals(List.of(), errorLines, "redis-benchmark saw errors: " + summary);
    }

    @Test
    @Order(2)
    void lettuceStandaloneRunsABroadMixOfCommands() throws Exception {
        withProxy(r -> {
            // strings and counters
            assertEquals("OK", r.set("mix:s", "hello"));
            assertEquals(Long.valueOf(11), r.append("mix:s", " world"));
            assertEquals("hello world", r.get("mix:s"));
            assertEquals(Long.valueOf(11), r.strlen("mix:s"));
            assertEquals(Boolean.TRUE, r.setnx("mix:nx", "1"));
            assertEquals(Boolean.FALSE, r.setnx("mix:nx", "2"));
            assertEquals(Long.valueOf(1), r.incr("mix:n"));
            assertEquals(Long.valueOf(11), r.incrby("mix:n", 10));
            assertEquals(Long.valueOf(10), r.decr("mix:n"));
            assertEquals("hello world", r.getset("mix:s", "bye"));
            // hashes
            assertEquals(Long.valueOf(2), r.hset("mix:h", Map.of("a", "1", "b", "2")));
            assertEquals(Long.valueOf(5), r.hincrby("mix:h", "a", 4));
            assertEquals(Map.of("a", "5", "b", "2"), r.hgetall("mix:h"));
            assertEquals(Long.valueOf(1), r.hdel("mix:h", "b"));
            assertEquals(Long.valueOf(1), r.hlen("mix:h"));
            // lists
            assertEquals(Long.valueOf(3), r.rpush("mix:l", "a", "b", "c"));
            assertEquals(Long.valueOf(4), r.lpush("mix:l", "z"));
            assertEquals(List.of("z", "a", "b", "c"), r.lrange("mix:l", 0, -1));
            assertEquals("z", r.lpop("mix:l"));
            assertEquals("c", r.rpop("mix:l"));
            assertEquals(Long.valueOf(2), r.llen("mix:l"));
            // sets
            assertEquals(Long.valueOf(3), r.sadd("mix:set", "x", "y", "z"));
            assertEquals(Set.of("x", "y", "z"), r.smembers("mix:set"));
            assertEquals(Boolean.TRUE, r.sismember("mix:set", "y"));
            assertEquals(Long.valueOf(1), r.srem("mix:set", "y"));
            assertEquals(Long.valueOf(2), r.scard("mix:set"));
            // sorted sets
            assertEquals(Long.valueOf(3), r.zadd("mix:z", ScoredValue.just(3, "c"), ScoredValue.just(1, "a"),
                    ScoredValue.just(2, "b")));
            assertEquals(List.of("a", "b", "c"), r.zrange("mix:z", 0, -1));
            assertEquals(Double.valueOf(5), r.zincrby("mix:z", 4, "a"));
            assertEquals(List.of("b", "c", "a"), r.zrange("mix:z", 0, -1));
            assertEquals(Long.valueOf(2), r.zrank("mix:z", "a"));
            assertEquals(Double.valueOf(2), r.zscore("mix:z", "b"));
            // expiry (long enough that nothing expires before the SCAN scenario counts keys)
            assertEquals(Boolean.TRUE, r.expire("mix:s", 1000));
            long ttl = r.ttl("mix:s");
            assertTrue(ttl > 990 && ttl <= 1000, "TTL " + ttl);
            assertEquals(Boolean.TRUE, r.persist("mix:s"));
            assertEquals(Long.valueOf(-1), r.ttl("mix:s"));
            assertEquals(Long.valueOf(-2), r.ttl("mix:absent"));
            return null;
        });

        // multi-key commands over many slots: split per slot, merged in the order of the keys
        withProxy(r -> {
            Map<String, String> kv = new LinkedHashMap<>();
            for (int i = 0; i < 60; i++) {
                kv.put("multi:" + i, "m" + i);
            }
            assertTrue(kv.keySet().stream().map(SlotHash::getSlot).distinct().count() > 50);
            assertEquals("OK", r.mset(kv));
            List<String> asked = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            for (int i = 59; i >= 0; i--) {
                asked.add("multi:" + i);
                expected.add("m" + i);
                if (i % 10 == 0) {
                    asked.add("multi:absent:" + i);
                    expected.add(null);
                }
            }
            List<String> got = r.mget(asked.toArray(String[]::new)).stream()
                    .map(v -> v.getValueOrElse(null)).toList();
            assertEquals(expected, got, "MGET over slots, in the order asked");
            List<String> existing = new ArrayList<>(kv.keySet());
            existing.add("multi:1");
            existing.add("multi:absent");
            assertEquals(Long.valueOf(61), r.exists(existing.toArray(String[]::new)),
                    "EXISTS counts every key (a repeated key twice) over all slots");
            assertEquals(Long.valueOf(20), r.touch(kv.keySet().stream().limit(20).toArray(String[]::new)));
            assertEquals(Long.valueOf(20), r.del(kv.keySet().stream().limit(20).toArray(String[]::new)));
            String[] rest = kv.keySet().stream().skip(20).toArray(String[]::new);
            String[] withAbsent = java.util.stream.Stream.concat(java.util.Arrays.stream(rest),
                    java.util.stream.Stream.of("multi:gone:1", "multi:gone:2")).toArray(String[]::new);
            assertEquals(Long.valueOf(40), r.unlink(withAbsent));
            assertEquals(Long.valueOf(0), r.exists(rest));

            // a common hash tag: MSETNX and RENAME run on one node
            assertEquals(Boolean.TRUE, r.msetnx(Map.of("{acct}:a", "1", "{acct}:b", "2")));
            assertEquals(Boolean.FALSE, r.msetnx(Map.of("{acct}:b", "3", "{acct}:c", "4")));
            assertEquals("OK", r.rename("{acct}:a", "{acct}:renamed"));
            assertEquals("1", r.get("{acct}:renamed"));
            assertNull(r.get("{acct}:a"));
            assertNull(r.get("{acct}:c"), "MSETNX is all or nothing");
            String crossSlot = assertThrows(RedisCommandExecutionException.class,
                    () -> r.msetnx(Map.of("cross:a", "1", "cross:b", "2"))).getMessage();
            assertTrue(crossSlot.startsWith("CROSSSLOT"), crossSlot);
            assertTrue(SlotHash.getSlot("cross:a") != SlotHash.getSlot("cross:b"));

            // a script whose keys share a slot
            String joined = r.eval("redis.call('set', KEYS[1], ARGV[1]); redis.call('set', KEYS[2], ARGV[2]); "
                    + "return redis.call('get', KEYS[1]) .. redis.call('get', KEYS[2])", ScriptOutputType.VALUE,
                    new String[] {"{script}:1", "{script}:2"}, "left", "right");
            assertEquals("leftright", joined);
            assertEquals(Long.valueOf(42), r.eval("return 42", ScriptOutputType.INTEGER));
            return null;
        });

        // a transaction with a hash tag
        withProxy(r -> {
            assertEquals("OK", r.multi());
            r.set("{tx}:a", "1");
            r.incr("{tx}:n");
            r.incr("{tx}:n");
            r.get("{tx}:a");
            TransactionResult result = r.exec();
            assertFalse(result.wasDiscarded());
            assertEquals(List.of("OK", 1L, 2L, "1"), result.stream().toList());
            return null;
        });
        // a transaction over two slots is refused as a whole, and nothing of it runs
        try (Wire w = authenticatedWire()) {
            assertEquals("OK", w.call("MULTI"));
            assertEquals("QUEUED", w.call("SET", "{txa}:k", "1"));
            assertError("CROSSSLOT", w.call("SET", "{txb}:k", "2"));
            assertError("EXECABORT", w.call("EXEC"));
            assertNull(w.call("GET", "{txa}:k"), "nothing of the refused transaction ran");
            assertEquals("OK", w.call("SET", "{txa}:after", "1"), "the connection goes on after EXECABORT");
        }

        // BLPOP waits on a connection of its own and is woken by an RPUSH from another client
        try (StatefulRedisConnection<String, String> blocked = viaProxy.connect(proxyUri());
                StatefulRedisConnection<String, String> other = viaProxy.connect(proxyUri())) {
            RedisFuture<KeyValue<String, String>> popped = blocked.async().blpop(15, "queue:jobs");
            await("BLPOP blocks on the cluster").atMost(Duration.ofSeconds(10))
                    .until(() -> blockedClients() >= 1);
            assertFalse(popped.isDone());
            assertEquals("PONG", other.sync().ping(), "other clients go on while one blocks");
            assertEquals("bye", other.sync().get("mix:s"));
            assertEquals(Long.valueOf(1), other.sync().rpush("queue:jobs", "job-1"));
            KeyValue<String, String> job = popped.get(10, TimeUnit.SECONDS);
            assertEquals(KeyValue.just("queue:jobs", "job-1"), job);
            long started = System.nanoTime();
            assertNull(blocked.sync().blpop(1, "queue:empty"), "BLPOP times out with nil");
            assertTrue(System.nanoTime() - started >= 900_000_000L);
            assertEquals("PONG", blocked.sync().ping(), "the blocking connection serves again");
        }

        // commands the proxy cannot run are refused, naming them
        withProxy(r -> {
            String cluster = assertThrows(RedisCommandExecutionException.class, r::clusterNodes).getMessage();
            assertTrue(cluster.contains("CLUSTER"), cluster);
            assertEquals("PONG", r.ping(), "the connection goes on after a refusal");
            return null;
        });
        try (Wire w = authenticatedWire()) {
            Object subscribe = w.call("SUBSCRIBE", "news");
            assertError("ERR", subscribe);
            assertTrue(subscribe.toString().contains("SUBSCRIBE"), "the refusal names the command: " + subscribe);
            assertEquals("PONG", w.call("PING"));
        }
    }

    // ---- 3. a long pipeline

    @Test
    @Order(3)
    void aPipelineOfTenThousandCommandsIsAnsweredInOrder() throws Exception {
        int commands = 10_000;
        try (StatefulRedisConnection<String, String> c = viaProxy.connect(proxyUri())) {
            c.setAutoFlushCommands(false);
            RedisAsyncCommands<String, String> a = c.async();
            List<RedisFuture<?>> futures = new ArrayList<>(commands);
            List<Object> expected = new ArrayList<>(commands);
            Map<String, Long> counters = new HashMap<>();
            for (int i = 0; i < commands; i++) {
                int k = i / 4;
                switch (i % 4) {
                    case 0 -> {
                        futures.add(a.set("pipe:" + k, "p" + k));
                        expected.add("OK");
                    }
                    case 1 -> {
                        futures.add(a.get("pipe:" + k));
                        expected.add("p" + k);
                    }
                    case 2 -> {
                        String counter = "pipe:counter:" + (k % 37);
                        futures.add(a.incr(counter));
                        expected.add(counters.merge(counter, 1L, Long::sum));
                    }
                    default -> {
                        // MGET over three slots, the earliest key possibly not written yet in this pipeline
                        futures.add(a.mget("pipe:" + k, "pipe:" + (k + 1), "pipe:" + Math.max(0, k - 5)));
                        expected.add(List.of("p" + k, "(nil)", "p" + Math.max(0, k - 5)));
                    }
                }
            }
            long started = System.nanoTime();
            c.flushCommands();
            assertTrue(LettuceFutures.awaitAll(Duration.ofSeconds(60), futures.toArray(new RedisFuture[0])),
                    "all replies within 60 s");
            long millis = (System.nanoTime() - started) / 1_000_000;
            for (int i = 0; i < commands; i++) {
                Object reply = futures.get(i).get();
                if (reply instanceof List<?> values) {
                    reply = values.stream().map(v -> ((KeyValue<?, ?>) v).getValueOrElse(null))
                            .map(v -> v == null ? "(nil)" : v).toList();
                }
                assertEquals(expected.get(i), reply, "reply " + i + " of the pipeline");
            }
            figures.add("pipeline " + commands + " in " + millis + " ms");
            System.out.println("pipeline of " + commands + " commands on one connection: " + millis + " ms");
        }
    }

    // ---- 4. SCAN, KEYS, DBSIZE

    @Test
    @Order(4)
    void scanReturnsEveryKeyOnceAndAgreesWithKeysAndDbsize() {
        withProxy(r -> {
            Set<String> written = new HashSet<>();
            for (int batch = 0; batch < 30; batch++) {
                Map<String, String> kv = new LinkedHashMap<>();
                for (int i = 0; i < 100; i++) {
                    String key = "scan:" + (batch * 100 + i);
                    kv.put(key, "s");
                    written.add(key);
                }
                assertEquals("OK", r.mset(kv));
            }
            List<String> all = scan(r, ScanArgs.Builder.limit(100));
            Set<String> distinct = new HashSet<>(all);
            assertEquals(0, all.size() - distinct.size(), "keys SCAN returned more than once");
            assertTrue(distinct.containsAll(written), "SCAN misses " + written.stream()
                    .filter(k -> !distinct.contains(k)).limit(10).toList());
            long dbsize = r.dbsize();
            List<String> keys = r.keys("*");
            assertEquals(dbsize, keys.size(), "DBSIZE and KEYS * agree");
            assertEquals(dbsize, distinct.size(), "DBSIZE and SCAN agree");
            assertEquals(distinct, new HashSet<>(keys), "KEYS and SCAN find the same keys");
            List<String> matched = scan(r, ScanArgs.Builder.limit(100).match("scan:*"));
            assertEquals(matched.size(), new HashSet<>(matched).size());
            assertEquals(written, new HashSet<>(matched), "SCAN MATCH scan:*");
            assertEquals(written, new HashSet<>(r.keys("scan:*")), "KEYS scan:*");
            figures.add("scan " + all.size() + " keys, dbsize " + dbsize);
            return null;
        });
    }

    private static List<String> scan(RedisCommands<String, String> r, ScanArgs args) {
        List<String> keys = new ArrayList<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        int calls = 0;
        do {
            var page = r.scan(cursor, args);
            keys.addAll(page.getKeys());
            cursor = page;
            calls++;
            assertTrue(calls < 10_000, "SCAN does not end");
        } while (!cursor.isFinished());
        assertTrue(calls > 10, "many cursors: " + calls);
        return keys;
    }

    // ---- 5. slot moves

    @Test
    @Order(5)
    void aRebalanceThatMovesSlotsIsInvisibleToClients() throws Exception {
        preload(10_000);
        Map<String, Long> before = redirections();
        try (ProxyLoad load = new ProxyLoad(viaProxy, proxyUri(), "move:")) {
            load.start(4);
            load.startPipelined(2, 20);
            load.startOrdered(1, 16, 2000, 150);
            await("load running").atMost(Duration.ofSeconds(10)).until(() -> load.writes() > 200);
            long writesBefore = load.writes();
            JsonNode container = scheduler.post("/apps/redis-" + name + "/containers", Map.of("count", 1,
                    "role", "master")).expect(201).body().get(0);
            long containerId = container.get("id").asLong();
            await("new master's container ready").atMost(Duration.ofSeconds(30)).until(() -> scheduler
                    .get("/containers/" + containerId).expect(200).body().get("ready").asBoolean());
            long started = System.nanoTime();
            JsonNode join = awaitTask(redisCtl.post("/clusters/" + id + "/members", Map.of("members",
                    List.of(Map.of("container", containerId, "role", "master")))).expect(202).body().get("id")
                    .asLong());
            long joinMillis = (System.nanoTime() - started) / 1_000_000;
            long writesDuring = load.writes() - writesBefore;
            await("the proxy sees four masters").atMost(Duration.ofSeconds(10))
                    .until(() -> field(proxyInfo(), "cluster_masters").equals("4"));
            Thread.sleep(1000);
            load.stop();
            Map<String, Long> after = redirections();
            long moved = after.get("moved_redirections") - before.get("moved_redirections");
            long asked = after.get("ask_redirections") - before.get("ask_redirections");
            List<String> disorder = load.orderViolations();
            String report = String.format("rebalance: join took %d ms (%s); %d writes during it, %d in all, %d reads;"
                    + " proxy followed %d MOVED and %d ASK; slowest command %d ms; %d errors, %d wrong reads, "
                    + "%d of 16 streamed lists out of order (%d RPUSHes)", joinMillis, join.get("progress").asText(),
                    writesDuring, load.writes(), load.reads(), moved, asked, load.slowestMillis(), load.errors().size(),
                    load.wrongReads().size(), disorder.size(), load.pushes());
            System.out.println(report);
            figures.add(report);
            disorders.put("rebalance", disorder);
            assertTrue(writesDuring > 100, "writes were in flight during the join: " + report);
            assertEquals(List.of(), load.errors().stream().limit(10).toList(), "client errors: " + report);
            assertEquals(List.of(), load.wrongReads().stream().limit(10).toList(), "wrong reads: " + report);
            List<String> bad = load.verify();
            assertEquals(List.of(), bad.stream().limit(10).toList(),
                    bad.size() + " of " + load.acknowledgedKeys() + " acknowledged keys lost or changed");
            assertTrue(moved + asked > 0, "the proxy followed redirections: " + report);
        }
        List<String> preloaded = missingPreload();
        assertEquals(List.of(), preloaded.stream().limit(10).toList(), preloaded.size() + " preloaded keys lost");
    }

    // ---- 6. manual failover

    @Test
    @Order(6)
    void aManualFailoverIsInvisibleToClients() throws Exception {
        ClusterNode master = masterWithReplica();
        ClusterNode replica = replicaOf(master);
        try (ProxyLoad load = new ProxyLoad(viaProxy, proxyUri(), "failover:")) {
            load.start(4);
            load.startPipelined(2, 20);
            load.startOrdered(1, 16, 2000, 150);
            await("load running").atMost(Duration.ofSeconds(10)).until(() -> load.writes() > 200);
            long started = System.nanoTime();
            assertEquals("OK", on(replica.host(), r -> r.clusterFailover(false)));
            await("replica promoted").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .ignoreExceptions().until(() -> {
                        ClusterNode now = clusterNodes(replica.host()).get(replica.id());
                        ClusterNode old = clusterNodes(replica.host()).get(master.id());
                        return now.master() && now.slots() > 0 && !old.master();
                    });
            long promotedMillis = (System.nanoTime() - started) / 1_000_000;
            long writesAtPromotion = load.writes();
            // the load goes on until the proxy has been told (MOVED) or has read the new layout
            Thread.sleep(3000);
            load.stop();
            List<String> disorder = load.orderViolations();
            String report = String.format("manual failover: %s promoted in %d ms; %d writes after it, %d in all; "
                    + "slowest command %d ms; %d errors, %d wrong reads, %d of 16 streamed lists out of order (%d "
                    + "RPUSHes)", replica.host(), promotedMillis, load.writes() - writesAtPromotion, load.writes(),
                    load.slowestMillis(), load.errors().size(), load.wrongReads().size(), disorder.size(),
                    load.pushes());
            System.out.println(report);
            figures.add(report);
            disorders.put("manual failover", disorder);
            assertTrue(load.writes() - writesAtPromotion > 100, report);
            assertEquals(List.of(), load.errors().stream().limit(10).toList(), "client errors: " + report);
            assertEquals(List.of(), load.wrongReads().stream().limit(10).toList(), "wrong reads: " + report);
            List<String> bad = load.verify();
            assertEquals(List.of(), bad.stream().limit(10).toList(),
                    bad.size() + " of " + load.acknowledgedKeys() + " acknowledged keys lost or changed");
        }
    }

    // ---- 7. a master killed

    @Test
    @Order(7)
    void aKilledMasterCostsClientsErrorsForABoundedWindowOnly() throws Exception {
        ClusterNode master = masterWithReplica();
        ClusterNode replica = replicaOf(master);
        JsonNode instance = null;
        for (JsonNode i : redisCtl.get("/clusters/" + id).expect(200).body().get("instances")) {
            if (i.get("address").asText().equals(master.host())) {
                instance = i;
            }
        }
        assertNotNull(instance, "redis-ctl knows " + master.host());
        String nodeName = instance.get("node").asText();
        Lab.Node node = lab.nodes().stream().filter(n -> n.name().equals(nodeName)).findFirst().orElseThrow();
        try (ProxyLoad load = new ProxyLoad(viaProxy, proxyUri(), "kill:")) {
            load.start(4);
            load.startPipelined(2, 20);
            load.startOrdered(1, 16, 2000, 150);
            await("load running").atMost(Duration.ofSeconds(10)).until(() -> load.writes() > 500);
            long writesBefore = load.writes();
            long retriesBefore = Long.parseLong(field(proxyInfo(), "retries"));
            long killedAt = System.nanoTime();
            resources.docker(node.index()).killContainerCmd(instance.get("container").asText()).exec();
            await("replica took over").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .ignoreExceptions().until(() -> {
                        ClusterNode now = clusterNodes(replica.host()).get(replica.id());
                        return now.master() && now.slots() > 0
                                && field(on(replica.host(), RedisCommands::clusterInfo), "cluster_state").equals("ok");
                    });
            long failoverMillis = (System.nanoTime() - killedAt) / 1_000_000;
            // clients keep going well past the failover: errors must have ended
            Thread.sleep(4000);
            load.stop();
            List<String> lost = load.verify();
            List<String> errors = load.errors();
            List<String> disorder = load.orderViolations();
            long retries = Long.parseLong(field(proxyInfo(), "retries")) - retriesBefore;
            String report = String.format("hard kill of %s: replica %s took over %d ms after the kill; client error "
                    + "window %d ms (%d errors of %d writes and %d reads; slowest successful command %d ms; the proxy "
                    + "retried %d times); acknowledged writes lost: %d of %d SETs (%d reads of them found nothing "
                    + "meanwhile) and %d of %d RPUSHes; %d of 16 streamed lists out of order", master.host(),
                    replica.host(), failoverMillis, load.errorWindowMillis(), errors.size(), load.writes(),
                    load.reads(), load.slowestMillis(), retries, lost.size(), load.acknowledgedKeys(),
                    load.missingReads(), load.lostPushes(), load.pushes(), disorder.size());
            System.out.println(report);
            if (!errors.isEmpty()) {
                System.out.println("first errors: " + errors.stream().limit(5).toList());
            }
            figures.add(report);
            // a read of another value than the last acknowledged (not merely none: writes may be lost) would be
            // a write overtaken by the one before it: checked with the order, in the last scenario
            List<String> overtaken = new ArrayList<>(disorder);
            load.wrongReads().stream().filter(w -> !w.contains(" = (nil)")).limit(10).forEach(overtaken::add);
            disorders.put("hard kill", overtaken);
            assertTrue(load.writes() - writesBefore > 500, "writes went on: " + report);
            assertTrue(load.errorWindowMillis() < 15_000, "errors for too long: " + report + " "
                    + errors.stream().limit(5).toList());
        }
    }

    // ---- 8. order

    /**
     * One connection's commands run in the order sent, as on one Redis server, through the rebalance, the
     * manual failover and the kill above: a command the proxy retries or redirects must not be overtaken by
     * one the client sent after it. Checked on the streamed lists of scenarios 5 to 7.
     */
    @Test
    @Order(8)
    void oneConnectionsCommandsRunInTheOrderSentThroughMovesAndFailovers() {
        disorders.forEach((phase, lists) -> System.out.println("order after the " + phase + ": " + (lists.isEmpty()
                ? "every streamed list in order" : "out of order: " + lists.stream().limit(3).toList()
                + (lists.size() > 3 ? " and " + (lists.size() - 3) + " more" : ""))));
        assertEquals(List.of("rebalance", "manual failover", "hard kill"), List.copyOf(disorders.keySet()),
                "scenarios 5 to 7 ran to their order check");
        disorders.forEach((phase, lists) -> assertEquals(List.of(), lists, "during the " + phase + ", commands of "
                + "one connection ran in another order than sent (each list holds increasing numbers RPUSHed in "
                + "order on one connection)"));
    }

    // ---- helpers: the cluster

    private JsonNode awaitTask(long task) {
        return await("task " + task).atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).until(() -> {
            JsonNode t = redisCtl.get("/tasks/" + task).expect(200).body();
            assertNotEquals("failed", t.get("state").asText(), () -> "task failed: " + t);
            return t;
        }, t -> t.get("state").asText().equals("done"));
    }

    /** A node as CLUSTER NODES shows it. */
    record ClusterNode(String id, String host, boolean master, boolean failing, String masterId, boolean connected,
            int slots) {
    }

    private Map<String, ClusterNode> clusterNodes(String host) {
        String text = on(host, RedisCommands::clusterNodes);
        Map<String, ClusterNode> nodes = new LinkedHashMap<>();
        for (String line : text.lines().toList()) {
            String[] f = line.split(" ");
            int slots = 0;
            for (int s = 8; s < f.length; s++) {
                if (f[s].startsWith("[")) {
                    continue;
                }
                String[] range = f[s].split("-");
                slots += range.length == 1 ? 1 : Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1;
            }
            String address = f[1].substring(0, f[1].indexOf(':'));
            nodes.put(f[0], new ClusterNode(f[0], address, f[2].contains("master"), f[2].contains("fail"),
                    f[3], f[7].equals("connected"), slots));
        }
        return nodes;
    }

    /** The cluster's nodes as the first live instance that redis-ctl lists sees them. */
    private Map<String, ClusterNode> clusterNodes() {
        RuntimeException last = null;
        for (JsonNode i : redisCtl.get("/clusters/" + id).expect(200).body().get("instances")) {
            try {
                return clusterNodes(i.get("address").asText());
            } catch (RuntimeException e) {
                last = e;
            }
        }
        throw new AssertionError("no instance answers", last);
    }

    /** A master serving slots with a replica in sync. */
    private ClusterNode masterWithReplica() {
        return await("a master with a replica in sync").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> {
                    Map<String, ClusterNode> nodes = clusterNodes();
                    for (ClusterNode m : nodes.values()) {
                        if (!m.master() || m.failing() || m.slots() == 0) {
                            continue;
                        }
                        for (ClusterNode r : nodes.values()) {
                            if (!r.master() && !r.failing() && r.masterId().equals(m.id()) && r.connected()
                                    && field(on(r.host(), c -> c.info("replication")), "master_link_status")
                                    .equals("up")) {
                                return m;
                            }
                        }
                    }
                    return null;
                }, m -> m != null);
    }

    private ClusterNode replicaOf(ClusterNode master) {
        return clusterNodes().values().stream().filter(r -> !r.master() && r.masterId().equals(master.id()))
                .findFirst().orElseThrow();
    }

    /** Clients blocked on any instance of the cluster. */
    private long blockedClients() {
        long blocked = 0;
        for (ClusterNode n : clusterNodes().values()) {
            if (n.master()) {
                blocked += Long.parseLong(field(on(n.host(), c -> c.info("clients")), "blocked_clients"));
            }
        }
        return blocked;
    }

    /** Runs {@code work} on an instance of the cluster directly, with the cluster's password. */
    private <T> T on(String host, Function<RedisCommands<String, String>, T> work) {
        RedisURI uri = RedisURI.builder().withHost(host).withPort(PORT).withAuthentication("default",
                password.toCharArray()).withTimeout(Duration.ofSeconds(3)).build();
        try (StatefulRedisConnection<String, String> c = direct.connect(uri)) {
            return work.apply(c.sync());
        }
    }

    // ---- helpers: the proxy

    private RedisURI proxyUri() {
        return RedisURI.builder().withHost(proxy).withPort(PORT).withAuthentication("default",
                clientPassword.toCharArray()).withTimeout(COMMAND_TIMEOUT).build();
    }

    private <T> T withProxy(Function<RedisCommands<String, String>, T> work) {
        try (StatefulRedisConnection<String, String> c = viaProxy.connect(proxyUri())) {
            return work.apply(c.sync());
        }
    }

    private String proxyInfo() {
        return withProxy(RedisCommands::info);
    }

    private Map<String, Long> redirections() {
        String info = proxyInfo();
        return Map.of("moved_redirections", Long.parseLong(field(info, "moved_redirections")),
                "ask_redirections", Long.parseLong(field(info, "ask_redirections")));
    }

    private void preload(int count) {
        withProxy(r -> {
            for (int from = 0; from < count; from += 500) {
                Map<String, String> kv = new LinkedHashMap<>();
                for (int i = from; i < Math.min(count, from + 500); i++) {
                    kv.put("pre:" + i, "v" + i);
                }
                assertEquals("OK", r.mset(kv));
            }
            return null;
        });
    }

    private List<String> missingPreload() {
        return withProxy(r -> {
            List<String> bad = new ArrayList<>();
            for (int from = 0; from < 10_000; from += 500) {
                String[] keys = IntStream.range(from, from + 500).mapToObj(i -> "pre:" + i).toArray(String[]::new);
                List<KeyValue<String, String>> values = r.mget(keys);
                for (int i = 0; i < keys.length; i++) {
                    if (!("v" + (from + i)).equals(values.get(i).getValueOrElse(null))) {
                        bad.add(keys[i] + " = " + values.get(i));
                    }
                }
            }
            return bad;
        });
    }

    private Wire authenticatedWire() {
        Wire w = new Wire(proxy);
        assertEquals("OK", w.call("AUTH", clientPassword));
        return w;
    }

    private String proxyLog() {
        String nodeName = proxyContainer.get("node").asText();
        Lab.Node node = lab.nodes().stream().filter(n -> n.name().equals(nodeName)).findFirst().orElseThrow();
        StringBuilder out = new StringBuilder();
        try {
            resources.docker(node.index()).logContainerCmd(proxyContainer.get("engineId").asText()).withStdOut(true)
                    .withStdErr(true).exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                            out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                        }
                    }).awaitCompletion(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out.toString();
    }

    /** Runs redis-cli against the proxy with {@code args}; its output, after checking it exited 0. */
    private String cli(List<String> args) {
        List<String> command = new ArrayList<>(List.of("redis-cli", "-h", proxy, "-p", String.valueOf(PORT),
                "--no-auth-warning"));
        command.addAll(args);
        String out = run("", command);
        assertFalse(out.contains("ERR") || out.contains("(error)"), "redis-cli " + args + ": " + out);
        return out;
    }

    /** Runs a command with {@code stdin}, the client password in the environment; fails unless it exits 0. */
    private String run(String stdin, List<String> command) {
        try {
            Path output = Files.createTempFile("proxy-it", ".out");
            Path input = Files.createTempFile("proxy-it", ".in");
            Files.writeString(input, stdin);
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).redirectInput(input.toFile());
            pb.environment().put("REDISCLI_AUTH", clientPassword);
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(command.get(0) + " took longer than 120 s: " + Files.readString(output));
            }
            String out = Files.readString(output);
            Files.delete(output);
            Files.delete(input);
            assertEquals(0, p.exitValue(), () -> String.join(" ", command.subList(0, Math.min(8, command.size())))
                    + " exited " + p.exitValue() + ": " + out);
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static String resp(String... args) {
        StringBuilder b = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            b.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
        }
        return b.toString();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String field(String info, String name) {
        return info.lines().filter(l -> l.startsWith(name + ":")).map(l -> l.substring(name.length() + 1).trim())
                .findFirst().orElse("");
    }

    private static String causes(Throwable e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append(" / ");
        }
        return all.toString();
    }

    private static void assertError(String code, Object reply) {
        assertError(code, reply, "expected an error " + code);
    }

    private static void assertError(String code, Object reply, String message) {
        Wire.Err error = assertInstanceOf(Wire.Err.class, reply, message + ", got " + reply);
        assertTrue(error.message().startsWith(code + " "), message + ": " + error.message());
    }

    /**
     * A bare RESP2 connection, for what a client library would hide: the exact error replies, and commands
     * no library sends on a plain connection. Replies: String (simple or bulk), null, Long, List, {@link Err}.
     */
    static final class Wire implements AutoCloseable {

        record Err(String message) {
            @Override
            public String toString() {
                return "-" + message;
            }
        }

        private final Socket socket = new Socket();
        private final InputStream in;
        private final OutputStream out;

        Wire(String host) {
            try {
                socket.connect(new InetSocketAddress(host, PORT), 3000);
                socket.setSoTimeout(20_000);
                in = new BufferedInputStream(socket.getInputStream());
                out = socket.getOutputStream();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Object call(String... args) {
            try {
                out.write(resp(args).getBytes(StandardCharsets.UTF_8));
                out.flush();
                return read();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private Object read() throws IOException {
            String line = line();
            char type = line.charAt(0);
            String rest = line.substring(1);
            switch (type) {
                case '+':
                    return rest;
                case '-':
                    return new Err(rest);
                case ':':
                    return Long.parseLong(rest);
                case '$': {
                    int n = Integer.parseInt(rest);
                    if (n < 0) {
                        return null;
                    }
                    byte[] bytes = in.readNBytes(n + 2);
                    return new String(bytes, 0, n, StandardCharsets.UTF_8);
                }
                case '*': {
                    int n = Integer.parseInt(rest);
                    if (n < 0) {
                        return null;
                    }
                    List<Object> items = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        items.add(read());
                    }
                    return items;
                }
                default:
                    throw new IOException("not RESP2: " + line);
            }
        }

        private String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                if (c != '\r') {
                    b.write(c);
                }
            }
            return b.toString(StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
