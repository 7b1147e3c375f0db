package io.biu.scheduler.container;

import static io.biu.scheduler.SchedulerFixture.tenant;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.scheduler.AgentConfig;
import io.biu.scheduler.SchedulerFixture;
import io.biu.scheduler.agent.NodeTransitions;
import io.biu.scheduler.agent.Reconciling;
import io.biu.scheduler.app.App;
import io.biu.scheduler.app.AppService;
import io.biu.scheduler.client.Schema;
import io.biu.scheduler.engine.Engine;
import io.biu.scheduler.engine.FakeEngine;
import io.biu.scheduler.error.SchedulerError;
import io.biu.scheduler.error.SchedulerException;
import io.biu.scheduler.node.Node;
import io.biu.scheduler.node.NodeRepository;
import io.biu.scheduler.volume.Volume;
import io.biu.scheduler.volume.VolumeRemovals;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Keyed volumes belong to their key, not to a container: a removed container's volume stays, the key's next container
 * goes to the node holding it and mounts the same engine volume, and the volume goes only when its key (or its app)
 * is deleted, at once where the node answers and by the reconciler once it does where it does not. Each test has a
 * scheduler of its own, with a pod of three nodes on the nodes' own network.
 */
class VolumesTest {

    private static final String TENANT = "team-a";
    private static final String OTHER = "team-b";
    private SchedulerFixture scheduler;

    @BeforeEach
    void start() {
        scheduler = SchedulerFixture.start(Map.of());
    }

    @AfterEach
    void stop() {
        scheduler.close();
    }

    /** A pod of three nodes (4 cores, 4 GiB each) granted to both tenants, and an app "db" with a volume on it. */
    private App podWithApp(String pod) {
        scheduler.hostPod(pod, TENANT, OTHER);
        for (int i = 1; i <= 3; i++) {
            scheduler.node(pod + "-" + i, pod, List.of(0, 1, 2, 3), "4GiB");
        }
        return scheduler.appWithVolume(TENANT, "db", pod, "0.5", "256MiB");
    }

    private List<Container> deploy(String tenant, String app, String... keys) {
        return deploys().deploy(tenant(tenant), app, new Schema.Deploy(keys.length, null, null, null, null,
                List.of(keys)));
    }

    private Container deployOne(String app, String key) {
        return deploy(TENANT, app, key).get(0);
    }

    private DeployService deploys() {
        return scheduler.bean(DeployService.class);
    }

    private VolumeService volumes() {
        return scheduler.bean(VolumeService.class);
    }

    private void remove(Container c) {
        assertTrue(deploys().remove(tenant(c.tenant()), c.id()), "removed at once");
    }

    private Node node(long id) {
        return scheduler.bean(NodeRepository.class).findById(id).orElseThrow();
    }

    private Node node(String name) {
        return scheduler.bean(NodeRepository.class).findByName(name).orElseThrow();
    }

    private FakeEngine engineOf(Container c) {
        return scheduler.engine(node(c.nodeId()));
    }

    /** The volume the container's engine container mounts. */
    private Engine.DataVolume mounted(Container c) {
        return engineOf(c).container(c.name()).orElseThrow().spec().volume();
    }

    /** The node's lease lapses: it goes down and its containers are lost. */
    private void down(Node node) {
        scheduler.bean(NodeRepository.class).renewLease(node.id(), Instant.EPOCH);
        assertTrue(scheduler.bean(NodeTransitions.class).downIfLapsed(node));
    }

    private void up(Node node) {
        assertTrue(scheduler.bean(NodeTransitions.class).renew(node, Duration.ofMinutes(1)));
    }

    private void reconcile(Node node) {
        Reconciling.once(scheduler, node);
    }

    private static SchedulerException refused(SchedulerError error, Executable call) {
        SchedulerException e = assertThrows(SchedulerException.class, call);
        assertEquals(error, e.error(), e.getMessage());
        return e;
    }

    @Test
    void aRemovedContainersVolumeStaysAndTheNextOfItsKeyGoesWhereItIsAndMountsIt() {
        App app = podWithApp("keep");
        Container first = deployOne("db", "shard-1");
        Node home = node(first.nodeId());
        Engine.DataVolume volume = mounted(first);
        assertTrue(volume.name().startsWith("biu-a" + app.id() + "-shard-1-"), volume.name());
        assertEquals(Map.of("biu.app", "db", "biu.tenant", TENANT, "biu.volume-key", "shard-1"),
                engineOf(first).volume(volume.name()).orElseThrow(), "the engine's volume carries whose it is");
        assertEquals("shard-1", first.volumeKey());

        remove(first);
        assertTrue(engineOf(first).volumes().contains(volume.name()), "the key's volume outlives its container");
        scheduler.deploy(TENANT, "db", 4);
        Map<Long, Long> perNode = scheduler.rows("keep").stream()
                .collect(Collectors.groupingBy(Container::nodeId, Collectors.counting()));
        assertTrue(perNode.entrySet().stream().allMatch(e -> e.getKey() == home.id() || e.getValue()
                < perNode.get(home.id())), "the home holds the most of the app, so spread alone goes elsewhere: "
                + perNode);
        Container second = deployOne("db", "shard-1");

        assertEquals(home.id(), second.nodeId(), "it goes where its data is");
        assertEquals(volume, mounted(second), "and mounts the very same volume");
        List<Volume> listed = volumes().list(tenant(TENANT), "db");
        assertEquals(1, listed.size(), "no second volume of the key: " + listed);
        assertEquals(home.name(), listed.get(0).node());
        assertFalse(listed.get(0).removalPending());
    }

    /**
     * A deployment pinned to the node of its key's volume goes there or nowhere: with that node full, it is refused with
     * why, and nothing is made (no container, and no new volume of the key elsewhere, which would then be the newest and
     * draw the key's next container to it); once the node has room, it goes there and mounts the key's volume.
     */
    @Test
    void aDeploymentPinnedToANodeGoesThereOrIsRefusedAndMakesNothing() {
        podWithApp("pinned");
        Container first = deployOne("db", "shard-1");
        Node home = node(first.nodeId());
        Engine.DataVolume volume = mounted(first);
        remove(first);
        // 0.5 of 4 cores each: 8 fill the home, pinned there, while the other nodes have room
        List<Container> filling = deploys().deploy(tenant(TENANT), "db", new Schema.Deploy(8, null, null, null, null,
                null, home.name()));
        assertTrue(filling.stream().allMatch(c -> c.nodeId() == home.id()), "all on the pinned node");
        int rows = scheduler.rows("pinned").size();
        Schema.Deploy pinned = new Schema.Deploy(1, null, null, null, null, List.of("shard-1"), home.name());

        String why = refused(SchedulerError.CAPACITY_EXHAUSTED, () -> deploys().deploy(tenant(TENANT), "db", pinned))
                .getMessage();

        assertTrue(why.startsWith("pinned to node '" + home.name() + "': cannot place 1 container of db"), why);
        assertEquals(rows, scheduler.rows("pinned").size(), "no container was made");
        assertEquals(List.of(home.name()), volumes().list(tenant(TENANT), "db").stream()
                .filter(v -> v.key().equals("shard-1")).map(Volume::node).toList(), "nor a volume of the key elsewhere");

        remove(filling.get(0));
        Container back = deploys().deploy(tenant(TENANT), "db", pinned).get(0);
        assertEquals(home.id(), back.nodeId());
        assertEquals(volume, mounted(back), "the key's own volume");
        String unknown = refused(SchedulerError.INVALID_REQUEST, () -> deploys().deploy(tenant(TENANT), "db",
                new Schema.Deploy(1, null, null, null, null, null, "elsewhere"))).getMessage();
        assertTrue(unknown.contains("node 'elsewhere' is not a node of pod 'pinned'"), unknown);
    }

    @Test
    void aContainerWithoutAKeyTakesItsOwnVolumeWithIt() {
        podWithApp("own");
        Container c = scheduler.deploy(TENANT, "db", 1).get(0);
        assertNull(c.volumeKey());
        assertEquals(Engine.DataVolume.own(c.name(), "/data"), mounted(c), "a volume of its own, as before");
        assertEquals(Set.of(c.name() + "-data"), engineOf(c).volumes());
        remove(c);
        assertEquals(Set.of(), engineOf(c).volumes(), "which goes with it");
        assertEquals(List.of(), volumes().list(tenant(TENANT), "db"), "and was never a key's");
    }

    @Test
    void badKeysAndCountsAreRefusedWithWhatToFix() throws IOException {
        podWithApp("checks");
        String invalid = refused(SchedulerError.INVALID_VOLUME, () -> deploy(TENANT, "db", "Shard_1")).getMessage();
        assertEquals("volume key 'Shard_1' is not valid: use 1 to 40 lower-case letters, digits and '-', starting "
                + "with a letter or a digit", invalid);
        refused(SchedulerError.INVALID_VOLUME, () -> deploy(TENANT, "db", "-shard"));
        refused(SchedulerError.INVALID_VOLUME, () -> deploy(TENANT, "db", "k".repeat(41)));
        deploy(TENANT, "db", "k".repeat(40), "0"); // the longest key, and the shortest

        String count = refused(SchedulerError.INVALID_VOLUME, () -> deploys().deploy(tenant(TENANT), "db",
                new Schema.Deploy(3, null, null, null, null, List.of("a", "b")))).getMessage();
        assertEquals("volumes has 2 keys for a count of 3: give one key per container", count);
        assertTrue(refused(SchedulerError.INVALID_VOLUME, () -> deploy(TENANT, "db", "a", "a")).getMessage()
                .contains("'a' is given twice"));
        assertTrue(refused(SchedulerError.INVALID_VOLUME, () -> deploys().deploy(tenant(TENANT), "db",
                new Schema.Deploy(1, "fill", null, null, null, List.of("a")))).getMessage()
                .contains("use the spread or binpack strategy, not fill"));
        scheduler.app(TENANT, "plain", "checks", "0.5", "256MiB", null);
        assertTrue(refused(SchedulerError.INVALID_VOLUME, () -> deploy(TENANT, "plain", "a")).getMessage()
                .startsWith("app 'plain' has no volume path"));
        assertEquals(2, scheduler.rows("checks").size(), "only the good deployment left containers");

        JsonMapper json = scheduler.bean(JsonMapper.class);
        Schema.Deploy old = json.readValue("{\"count\":2,\"role\":\"replica\"}", Argument.of(Schema.Deploy.class));
        assertEquals(new Schema.Deploy(2, null, null, "replica", null), old, "a caller that knows no volumes");
        assertEquals(List.of("a"), json.readValue("{\"count\":1,\"volumes\":[\"a\"]}",
                Argument.of(Schema.Deploy.class)).volumes());
    }

    @Test
    void aKeyHasOneContainerAtATimeAndItsVolumesCannotGoWhileOneIsLeft() {
        podWithApp("busy");
        Container c = deployOne("db", "shard-1");
        String twice = refused(SchedulerError.IN_USE, () -> deployOne("db", "shard-1")).getMessage();
        assertTrue(twice.contains("is mounted by container " + c.name() + " (running)"), twice);

        String mounted = refused(SchedulerError.IN_USE, () -> volumes().delete(tenant(TENANT), "db", "shard-1"))
                .getMessage();
        assertEquals("volume key 'shard-1' of app 'db' is still mounted by container " + c.name() + " (running): "
                + "remove the key's containers first", mounted);
        assertEquals(1, volumes().list(tenant(TENANT), "db").size());
        assertTrue(engineOf(c).volumes().contains(mounted(c).name()), "nothing was removed");
        refused(SchedulerError.NOT_FOUND, () -> volumes().delete(tenant(TENANT), "db", "shard-2"));

        remove(c);
        VolumeRemovals.Outcome outcome = volumes().delete(tenant(TENANT), "db", "shard-1");
        assertTrue(outcome.removed(), outcome.toString());
        assertEquals(Set.of(), engineOf(c).volumes());
        assertEquals(List.of(), volumes().list(tenant(TENANT), "db"));
    }

    @Test
    void anotherTenantNeitherSeesNorRemovesNorMountsAnAppsVolumes() {
        App mine = podWithApp("tenants");
        Container c = deployOne("db", "shard-1");
        remove(c);
        refused(SchedulerError.NOT_FOUND, () -> volumes().list(tenant(OTHER), "db"));
        refused(SchedulerError.NOT_FOUND, () -> volumes().delete(tenant(OTHER), "db", "shard-1"));

        // its own app of the same name, with the same key, on the same node
        App theirs = scheduler.appWithVolume(OTHER, "db", "tenants", "0.5", "256MiB");
        assertEquals(List.of(), volumes().list(tenant(OTHER), "db"));
        refused(SchedulerError.NOT_FOUND, () -> volumes().delete(tenant(OTHER), "db", "shard-1"));
        List<Container> spread = deploys().deploy(tenant(OTHER), "db", new Schema.Deploy(3, null, null, null, null,
                List.of("shard-1", "shard-2", "shard-3")));
        Container same = spread.stream().filter(x -> x.nodeId() == c.nodeId()).findFirst().orElseThrow();
        assertNotEquals(mounted(same).name(), volumeOf(mine, "shard-1").engineName());
        assertTrue(mounted(same).name().startsWith("biu-a" + theirs.id() + "-"), mounted(same).name());
        assertEquals(1, volumes().list(tenant(TENANT), "db").size(), "the first tenant's volume is untouched");
        assertTrue(engineOf(c).volumes().contains(volumeOf(mine, "shard-1").engineName()));
    }

    private Volume volumeOf(App app, String key) {
        return volumes().list(tenant(app.tenant()), app.name()).stream().filter(v -> v.key().equals(key))
                .findFirst().orElseThrow();
    }

    @Test
    void aRemovalOnADownNodeWaitsForItAndAKeyRedeployedMeanwhileGetsANewVolume() {
        podWithApp("pending");
        Container c = deployOne("db", "shard-1");
        Node home = node(c.nodeId());
        String old = mounted(c).name();
        remove(c);
        down(home);

        VolumeRemovals.Outcome outcome = volumes().delete(tenant(TENANT), "db", "shard-1");
        assertEquals(List.of(home.name()), outcome.pendingNodes());
        Schema.VolumeRemoval view = outcome.view("db", "shard-1");
        assertFalse(view.removed());
        assertTrue(view.message().contains("on " + home.name() + " are removed once those nodes answer again"),
                view.message());
        Volume pending = volumes().list(tenant(TENANT), "db").get(0);
        assertTrue(pending.removalPending(), "marked, not dropped");
        assertTrue(scheduler.engine(home).volumes().contains(old), "the engine still has it");

        Container moved = deployOne("db", "shard-1");
        assertNotEquals(home.id(), moved.nodeId(), "its node is down");
        assertNotEquals(old, mounted(moved).name(), "a new, empty volume");
        for (Node other : scheduler.bean(NodeRepository.class).findByPodOrderById("pending")) {
            if (other.id() != home.id()) {
                reconcile(other);
            }
        }
        assertTrue(scheduler.engine(home).volumes().contains(old), "only its own node removes it");

        up(home);
        reconcile(node(home.id()));
        assertEquals(Set.of(), scheduler.engine(home).volumes(), "removed once its node answers");
        List<Volume> left = volumes().list(tenant(TENANT), "db");
        assertEquals(1, left.size(), "the record went with it: " + left);
        assertEquals(mounted(moved).name(), left.get(0).engineName(), "the new volume is not touched");
        assertFalse(left.get(0).removalPending());
    }

    /**
     * A container whose removal waits for its down node no longer holds its key's volume back: the volume's removal
     * waits too, and once the node answers the reconciler removes the container, then the volume.
     */
    @Test
    void aKeyWhoseContainerIsBeingRemovedOnADownNodeHasItsVolumeRemovedAfterIt() {
        podWithApp("leaving");
        Container c = deployOne("db", "shard-1");
        Node home = node(c.nodeId());
        String old = mounted(c).name();
        // the probes right after its start are done with its row before its node goes down
        await("container " + c.name() + " ready").atMost(Duration.ofSeconds(10)).until(() -> scheduler
                .bean(ContainerRepository.class).findById(c.id()).orElseThrow().ready());
        down(home);
        assertFalse(deploys().remove(tenant(TENANT), c.id()), "its removal waits for its node");

        VolumeRemovals.Outcome outcome = volumes().delete(tenant(TENANT), "db", "shard-1");
        assertEquals(List.of(home.name()), outcome.pendingNodes(), outcome.toString());
        assertTrue(volumes().list(tenant(TENANT), "db").get(0).removalPending(), "marked, not dropped");

        up(home);
        // the reconciler finishes a removal left for longer than its grace period
        scheduler.clock().advance(scheduler.bean(AgentConfig.class).reconcileGrace().plusSeconds(1));
        reconcile(node(home.id()));
        assertTrue(scheduler.engine(home).container(c.name()).isEmpty(), "the container is gone");
        assertFalse(scheduler.engine(home).volumes().contains(old), "and its volume after it");
        assertEquals(List.of(), volumes().list(tenant(TENANT), "db"));
    }

    @Test
    void aKeyWhoseNodeIsDownGetsANewVolumeElsewhereAndTheNewestIsPreferredAfter() {
        podWithApp("fallback");
        Container first = deployOne("db", "shard-1");
        Node home = node(first.nodeId());
        remove(first);
        down(home);
        Container second = deployOne("db", "shard-1");
        assertNotEquals(home.id(), second.nodeId());
        assertEquals(2, volumes().list(tenant(TENANT), "db").size(), "the older volume stays: the caller decides");
        Engine.DataVolume newest = mounted(second);
        remove(second);
        up(home);
        Container third = deployOne("db", "shard-1");
        assertEquals(second.nodeId(), third.nodeId(), "the newest volume's node is the key's home");
        assertEquals(newest, mounted(third));
    }

    @Test
    void deletingAnAppRemovesAllItsVolumesThoseOnADownNodeOnceItAnswers() {
        podWithApp("gone");
        List<Container> shards = deploy(TENANT, "db", "shard-1", "shard-2");
        assertNotEquals(shards.get(0).nodeId(), shards.get(1).nodeId());
        Node away = node(shards.get(1).nodeId());
        String awayVolume = mounted(shards.get(1)).name();
        shards.forEach(this::remove);
        down(away);

        AppService apps = scheduler.bean(AppService.class);
        List<Volume> marked = apps.delete(tenant(TENANT), "db");
        assertEquals(2, marked.size());
        VolumeRemovals.Outcome outcome = scheduler.bean(VolumeRemovals.class).remove(marked);
        assertEquals(List.of(away.name()), outcome.pendingNodes());
        assertEquals(Set.of(), engineOf(shards.get(0)).volumes(), "removed where the node answers");
        refused(SchedulerError.NOT_FOUND, () -> apps.get(tenant(TENANT), "db"));
        assertEquals(Set.of(awayVolume), scheduler.engine(away).volumes(), "kept while its node is down");
        assertTrue(scheduler.bean(io.biu.scheduler.volume.VolumeRepository.class).findByAppIdOrderById(marked.get(0)
                .appId()).stream().allMatch(Volume::removalPending), "its record outlives the app's, marked");

        up(away);
        reconcile(node(away.id()));
        assertEquals(Set.of(), scheduler.engine(away).volumes(), "and on the other once it is back");
        assertEquals(List.of(), scheduler.bean(io.biu.scheduler.volume.VolumeRepository.class)
                .findByAppIdOrderById(marked.get(0).appId()), "no record is left");
    }
}
