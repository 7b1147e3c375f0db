package io.biu.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.biu.cli.api.ServiceApi;
import io.biu.scheduler.client.NodeState;
import io.biu.scheduler.client.Schema;
import io.biu.scheduler.client.TokenKind;
import java.io.IOException;
import java.math.BigDecimal;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scheduler's commands against a stubbed scheduler: what they send, and what they print of its answers. */
class SchedulerCommandsTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private StubServices stub;

    @BeforeEach
    void stub() throws IOException {
        stub = new StubServices().dataDir(dir);
    }

    @AfterEach
    void close() {
        stub.close();
    }

    private int run(String... args) {
        Environment environment = new Environment(Map.of("BIU_DATA_DIR", dir.toString(), "BIU_TOKEN", "t"),
                dir.resolve("home"), false, Duration.ofMillis(5));
        return BiuCommand.run(args, new PrintWriter(out, true), new PrintWriter(err, true), environment);
    }

    private static <T> T sent(String body, Class<T> type) throws IOException {
        return ServiceApi.JSON.readValue(body, type);
    }

    @Test
    void podListShowsEachPodsPolicyNetworkAndTenants() {
        stub.on("GET /pods", 200, Replies.json(List.of(Replies.pod("lab", List.of("pay", "shop")),
                Replies.hostPod("edge"))));
        assertEquals(0, run("pod", "list"), err.toString());
        assertEquals("""
                NAME  GRANULARITY  CPU           NETWORK  SUBNET       TENANTS
                lab   0.01 cores   bound/shares  macvlan  10.1.0.0/16  pay,shop
                edge  0.1 cores    public/quota  host     -            -
                """, out.toString());
    }

    @Test
    void podShowDescribesThePolicyAndTheNetworkAndListsOnlyThePodsNodes() {
        stub.on("GET /pods/edge", 200, Replies.json(Replies.hostPod("edge")))
                .on("GET /nodes", 200, Replies.json(List.of(
                        Replies.node("node1", "edge", NodeState.UP, false, List.of(0, 1, 2), Map.of()),
                        Replies.node("node2", "lab", NodeState.UP, false, List.of(0), Map.of()),
                        Replies.node("node3", "edge", NodeState.DOWN, true, List.of(3), Map.of()))));
        assertEquals(0, run("pod", "show", "edge"), err.toString());
        assertEquals("""
                pod edge: 0.1 cores, cpu public with quota limits, storage overlay2
                  network host - gateway - parent - range -
                  tenants: -

                NODE   STATE  CORDONED  CORES  MEMORY  ENDPOINT
                node1  up     false     3      30GiB   tcp://10.0.0.14:2376
                node3  down   true      1      30GiB   tcp://10.0.0.14:2376
                """, out.toString());
    }

    @Test
    void podCreateSendsThePodSpecWithItsNetwork() throws IOException {
        stub.on("POST /pods", 201, Replies.json(Replies.pod("lab", List.of("shop"))));
        assertEquals(0, run("pod", "create", "lab", "--subnet", "10.1.0.0/16", "--gateway", "10.1.0.1", "--parent",
                "eth0", "--exclude", "10.1.0.2,10.1.0.3", "--share-base", "100", "--grant", "shop"), err.toString());
        assertEquals(new Schema.PodSpec("lab", 100, null, null, new Schema.NetworkSpec("macvlan", "10.1.0.0/16",
                "10.1.0.1", "eth0", null, List.of("10.1.0.2", "10.1.0.3")), null, List.of("shop")),
                sent(stub.body("POST /pods"), Schema.PodSpec.class));
        assertEquals("pod lab created; next: `biu node add NODE --pod lab --endpoint tcp://HOST:2376` registers its "
                + "nodes\n", out.toString());
    }

    @Test
    void podGrantAddsTheTenantsToThoseAlreadyGranted() throws IOException {
        stub.on("GET /pods/lab", 200, Replies.json(Replies.pod("lab", List.of("shop"))))
                .on("PUT /pods/lab/tenants", 200, Replies.json(Replies.pod("lab", List.of("ads", "pay", "shop"))));
        assertEquals(0, run("pod", "grant", "lab", "pay", "ads"), err.toString());
        assertEquals(new Schema.Grant(List.of("ads", "pay", "shop")), sent(stub.body("PUT /pods/lab/tenants"),
                Schema.Grant.class));
        assertEquals("pod lab is granted to ads,pay,shop\n", out.toString());
    }

    @Test
    void nodeListSaysWhetherEachNodeIsCordoned() {
        stub.on("GET /nodes", 200, Replies.json(List.of(
                Replies.node("node1", "lab", NodeState.UP, false, List.of(0, 1), Map.of()),
                Replies.node("node2", "lab", NodeState.DOWN, true, List.of(0, 1, 2, 3), Map.of()))));
        assertEquals(0, run("node", "list"), err.toString());
        assertEquals("""
                NAME   POD  STATE  CORDONED  CORES  MEMORY  ENDPOINT
                node1  lab  up     no        2      30GiB   tcp://10.0.0.14:2376
                node2  lab  down   yes       4      30GiB   tcp://10.0.0.14:2376
                """, out.toString());
    }

    @Test
    void nodeShowPrintsItsCoresAndLabelsAsTheSchedulerWritesThem() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("zone", "b");
        labels.put("disk", "ssd \"fast\"");
        stub.on("GET /nodes/node2", 200, Replies.json(Replies.node("node2", "lab", NodeState.UP, true,
                List.of(1, 2, 3), labels)));
        assertEquals(0, run("node", "show", "node2"), err.toString());
        assertEquals("""
                node node2 in pod lab: up, cordoned (no new placements)
                  endpoint tcp://10.0.0.14:2376, storage overlay2
                  schedulable: cores [1,2,3], memory 30GiB (the engine has 8 cores)
                  labels: {"zone":"b","disk":"ssd \\"fast\\""}
                """, out.toString());
    }

    @Test
    void nodeAddSendsTheNodeSpecAndSaysWhatTheSchedulerFound() throws IOException {
        stub.on("POST /nodes", 201, Replies.json(Replies.node("node4", "lab", NodeState.UP, false, List.of(1, 2, 3),
                Map.of())));
        assertEquals(0, run("node", "add", "node4", "--pod", "lab", "--endpoint", "tcp://10.0.0.14:2376",
                "--cores", "1,2,3", "--label", "zone=b"), err.toString());
        assertEquals(new Schema.NodeSpec("node4", "lab", "tcp://10.0.0.14:2376", null, List.of(1, 2, 3), null,
                Map.of("zone", "b")), sent(stub.body("POST /nodes"), Schema.NodeSpec.class));
        assertEquals("node node4 registered in pod lab: 3 cores, 30GiB, up\n", out.toString());
    }

    @Test
    void nodeCordonSendsTheCordonAndItsUndo() throws IOException {
        Schema.Node node = Replies.node("node3", "lab", NodeState.UP, true, List.of(0), Map.of());
        stub.on("PUT /nodes/node3/cordon", 200, Replies.json(node));
        assertEquals(0, run("node", "cordon", "node3"), err.toString());
        assertEquals(new Schema.Cordon(true), sent(stub.body("PUT /nodes/node3/cordon"), Schema.Cordon.class));
        assertEquals(0, run("node", "cordon", "node3", "--undo"), err.toString());
        assertEquals(new Schema.Cordon(false), sent(stub.body("PUT /nodes/node3/cordon"), Schema.Cordon.class));
        assertEquals("node node3 is cordoned: no new containers are placed on it\n"
                + "node node3 takes new containers again\n", out.toString());
    }

    @Test
    void tokenCreatePrintsTheSecretOnceOnALineOfItsOwn() throws IOException {
        stub.on("POST /tokens", 201, Replies.json(new Schema.Issued(Replies.token(7, "shop team", TokenKind.TENANT,
                "shop", null), "s3cr3t")));
        assertEquals(0, run("token", "create", "shop team", "--for", "shop"), err.toString());
        assertEquals(new Schema.TokenSpec("tenant", "shop team", "shop"), sent(stub.body("POST /tokens"),
                Schema.TokenSpec.class));
        assertEquals("token 7 (tenant of shop) issued; its secret (shown only now, keep it):\ns3cr3t\n",
                out.toString());
    }

    @Test
    void tokenCreateWithAnExpiryAsksForItAndSaysWhen() throws IOException {
        Schema.Token issued = new Schema.Token(8, "contractor", TokenKind.TENANT, "shop", "biu_8x", Replies.AT, null,
                Replies.AT.plus(java.time.Duration.ofDays(30)), List.of());
        stub.on("POST /tokens", 201, Replies.json(new Schema.Issued(issued, "s3cr3t")));
        java.time.Instant before = java.time.Instant.now();
        assertEquals(0, run("token", "create", "contractor", "--for", "shop", "--expires-in", "30d"), err.toString());
        java.time.Instant asked = sent(stub.body("POST /tokens"), Schema.TokenSpec.class).expiresAt();
        assertTrue(!asked.isBefore(before.plus(java.time.Duration.ofDays(30)))
                && asked.isBefore(java.time.Instant.now().plus(java.time.Duration.ofDays(30)).plusSeconds(1)), "" + asked);
        assertTrue(out.toString().contains("working until 2027-01-03T10:00:00Z"), out.toString());
    }

    @Test
    void tokenCreateRefusesADurationItCannotRead() {
        assertEquals(2, run("token", "create", "x", "--for", "shop", "--expires-in", "forever"));
        assertTrue(err.toString().contains("not a duration like 12h or 30d"), err.toString());
    }

    @Test
    void tokenListShowsKindsInLowerCaseAndWhenTokensWereRevokedOrExpire() {
        stub.on("GET /tokens", 200, Replies.json(List.of(Replies.token(1, "bootstrap", TokenKind.OPERATOR, null, null),
                Replies.token(7, "shop team", TokenKind.TENANT, "shop", Replies.AT.plusSeconds(90)),
                new Schema.Token(8, "contractor", TokenKind.TENANT, "shop", "biu_8x", Replies.AT, null,
                        Replies.AT.plusSeconds(3600), List.of()),
                new Schema.Token(9, "ci", TokenKind.SERVICE, null, "biu_9x", Replies.AT, null, null,
                        List.of("redis-ctl:read", "redis-ctl:connection")))));
        assertEquals(0, run("token", "list"), err.toString());
        assertEquals("""
                ID  NAME        KIND      TENANT  HINT    CREATED               REVOKED               EXPIRES               SCOPES
                1   bootstrap   operator  -       biu_1x  2026-12-04T10:00:00Z  -                     -                     -
                7   shop team   tenant    shop    biu_7x  2026-12-04T10:00:00Z  2026-12-04T10:01:30Z  -                     -
                8   contractor  tenant    shop    biu_8x  2026-12-04T10:00:00Z  -                     2026-12-04T11:00:00Z  -
                9   ci          service   -       biu_9x  2026-12-04T10:00:00Z  -                     -                     redis-ctl:read redis-ctl:connection
                """, out.toString());
    }

    @Test
    void aServiceTokenIsIssuedWithTheScopesGivenAndNeedsSome() throws IOException {
        assertEquals(2, run("token", "create", "ci", "--kind", "service"));
        assertTrue(err.toString().contains("add --scope"), err.toString());
        Schema.Token issued = new Schema.Token(9, "ci", TokenKind.SERVICE, null, "biu_9x", Replies.AT, null, null,
                List.of("redis-ctl:read", "proxy-admin:read"));
        stub.on("POST /tokens", 201, Replies.json(new Schema.Issued(issued, "s3cr3t")));
        assertEquals(0, run("token", "create", "ci", "--kind", "service", "--scope", "redis-ctl:read,proxy-admin:read"),
                err.toString());
        assertEquals(List.of("redis-ctl:read", "proxy-admin:read"),
                sent(stub.body("POST /tokens"), Schema.TokenSpec.class).scopes());
        assertTrue(out.toString().startsWith("token 9 (service) issued for redis-ctl:read proxy-admin:read;"),
                out.toString());
    }

    @Test
    void quotaSetSendsTheLimitsGivenAndShowsHeldAgainstEach() throws IOException {
        Schema.Quota quota = new Schema.Quota("shop", new BigDecimal("4"), 8L << 30, null, 3, null,
                new Schema.QuotaUsage(new BigDecimal("1.5"), 768L << 20, 5));
        stub.on("PUT /tenants/shop/quota", 200, Replies.json(quota));
        assertEquals(0, run("quota", "set", "shop", "--cores", "4", "--memory", "8GiB", "--clusters", "3"),
                err.toString());
        assertEquals(new Schema.QuotaSpec(new BigDecimal("4"), "8GiB", null, 3, null),
                sent(stub.body("PUT /tenants/shop/quota"), Schema.QuotaSpec.class));
        assertEquals("""
                TENANT  CORES  MEMORY          CONTAINERS  CLUSTERS  ENDPOINTS
                shop    1.5/4  768MiB/8192MiB  5           max 3     -
                """, out.toString());
    }

    @Test
    void tokenRevokeNamesTheRevokedToken() {
        stub.on("DELETE /tokens/7", 200, Replies.json(Replies.token(7, "shop team", TokenKind.TENANT, "shop",
                Replies.AT)));
        assertEquals(0, run("token", "revoke", "7"), err.toString());
        assertEquals("token 7 (shop team) revoked\n", out.toString());
    }

    @Test
    void quarantineListShowsEachContainersAppAndWhenItIsRemoved() {
        stub.on("GET /quarantine", 200, Replies.json(List.of(new Schema.Quarantined(3, "node2", "4f1c", "shop.redis.a1",
                Map.of("biu.app", "redis", "biu.tenant", "shop", "biu.container", "17"), Replies.AT,
                Replies.AT.plus(Duration.ofDays(7))))));
        assertEquals(0, run("quarantine", "list"), err.toString());
        String listed = out.toString();
        assertTrue(listed.contains("shop.redis.a1") && listed.contains("node2") && listed.contains("2026-12-11T10:00:00Z"),
                listed);
    }

    @Test
    void quarantineDeleteSendsTheDeleteAndSaysTheDataIsGone() {
        stub.on("DELETE /quarantine/3", 204, "");
        assertEquals(0, run("quarantine", "delete", "3"), err.toString());
        assertEquals("quarantined container 3 removed with its data\n", out.toString());
    }

    @Test
    void eventsPrintsTheLastMatchingEventsOnePerLine() {
        stub.on("GET /events?after=0&limit=500", 200, Replies.json(List.of(
                Replies.containerEvent(1, "container.started", "redis-shop-1", "redis-shop", "10.1.0.5"),
                Replies.containerEvent(2, "container.started", "redis-cart-1", "redis-cart", null),
                Replies.nodeEvent(3, "node.down", "node2", "lab", NodeState.DOWN),
                Replies.containerEvent(4, "container.ready", "redis-shop-1", "redis-shop", "10.1.0.5"),
                Replies.containerEvent(5, "container.lost", "redis-cart-1", "redis-cart", null))));
        assertEquals(0, run("events", "--limit", "3"), err.toString());
        assertEquals("""
                3       2026-12-04T10:00:03Z        node.down           node2                          lab down
                4       2026-12-04T10:00:04Z        container.ready     redis-shop-1                   node1 10.1.0.5
                5       2026-12-04T10:00:05Z        container.lost      redis-cart-1                   node1 -
                """, out.toString());
    }

    @Test
    void eventsOfAnAppOrAPodOrATypeAreFiltered() {
        stub.on("GET /events?after=0&limit=500", 200, Replies.json(List.of(
                Replies.containerEvent(1, "container.started", "redis-shop-1", "redis-shop", "10.1.0.5"),
                Replies.containerEvent(2, "container.started", "redis-cart-1", "redis-cart", null),
                Replies.nodeEvent(3, "node.down", "node2", "lab", NodeState.DOWN),
                Replies.nodeEvent(4, "node.up", "node9", "edge", NodeState.UP))));
        assertEquals(0, run("events", "--app", "redis-cart"), err.toString());
        assertEquals(0, run("events", "--pod", "edge"), err.toString());
        stub.on("GET /events?after=1&limit=500", 200, Replies.json(List.of(
                Replies.containerEvent(2, "container.started", "redis-cart-1", "redis-cart", null),
                Replies.nodeEvent(3, "node.down", "node2", "lab", NodeState.DOWN))));
        assertEquals(0, run("events", "--type", "container.*", "--pod", "lab", "--after", "1"), err.toString());
        // the subject of each event printed; any other line as it is
        List<String> subjects = out.toString().lines().map(l -> l.split("\\s+"))
                .map(cells -> cells.length > 3 ? cells[3] : String.join(" ", cells)).toList();
        assertEquals(List.of("redis-cart-1", "node9", "redis-cart-1"), subjects, out.toString());
    }

    @Test
    void eventsWithJsonOutputPrintEachEventAsSentOnALineOfItsOwn() throws IOException {
        String sent = "[{\"seq\":4,\"type\":\"node.up\",\"time\":\"2026-12-04T10:00:04.5Z\",\"shard\":\"a\","
                + "\"node\":{\"name\":\"node9\",\"pod\":\"edge\",\"cordoned\":false,\"state\":\"up\"}}]";
        stub.on("GET /events?after=0&limit=500", 200, sent);
        assertEquals(0, run("events", "-o", "json"), err.toString());
        assertEquals(ServiceApi.JSON.readTree(sent).get(0).toString() + "\n", out.toString());
    }

    @Test
    void jsonOutputIsTheSchedulersAnswerAsSent() throws IOException {
        JsonNode sent = ServiceApi.JSON.readTree(Replies.json(Replies.node("node2", "lab", NodeState.UP, false,
                List.of(1), Map.of())));
        ((ObjectNode) sent).put("rack", "r7");
        stub.on("GET /nodes/node2", 200, sent.toString());
        assertEquals(0, run("node", "show", "node2", "--output", "json"), err.toString());
        assertEquals(sent, ServiceApi.JSON.readTree(out.toString()), out.toString());
        assertTrue(out.toString().contains("\"rack\""), out.toString());
    }
}
