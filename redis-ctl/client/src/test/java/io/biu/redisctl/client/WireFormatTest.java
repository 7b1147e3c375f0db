package io.biu.redisctl.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.biu.scheduler.client.Schema;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The API's JSON as the service writes it (Micronaut Serialization) and as the command-line client reads it (Jackson). */
class WireFormatTest {

    private final io.micronaut.serde.ObjectMapper serde = io.micronaut.serde.ObjectMapper.getDefault();
    private final ObjectMapper jackson = new ObjectMapper().findAndRegisterModules()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private static TaskView task() {
        return new TaskView(9, 3, TaskKind.JOIN, TaskState.RUNNING, "await-members", 4, 7, "2 of 3 members ok", null,
                0, Instant.parse("2026-12-04T10:00:00Z"), null, List.of(new StepTiming("meet", 120, "3 know")));
    }

    @Test
    void enumsAreWrittenInLowerCaseWithDashes() throws IOException {
        String json = serde.writeValueAsString(task());
        assertTrue(json.contains("\"kind\":\"join\""), json);
        assertTrue(json.contains("\"state\":\"running\""), json);
        assertEquals("\"mark-removable\"", serde.writeValueAsString(TaskKind.Drain.MARK_REMOVABLE.id()));
    }

    @Test
    void whatTheServiceWritesTheClientReadsBack() throws IOException {
        String json = serde.writeValueAsString(task());
        assertEquals(task(), jackson.readValue(json, TaskView.class));
        assertEquals(task(), serde.readValue(json, TaskView.class));
    }

    @Test
    void fieldsAServiceAddsLaterDoNotBreakTheClient() throws IOException {
        String json = serde.writeValueAsString(task()).replace("{\"id\":9,", "{\"id\":9,\"priority\":\"high\",");
        assertEquals(task(), jackson.readValue(json, TaskView.class));
    }

    @Test
    void anInstanceCarriesItsVolumeKeyAndOneWithoutReadsAsNull() throws IOException {
        InstanceView keyed = new InstanceView(1, InstanceState.ACTIVE, Role.MASTER, "10.0.0.1", 6379, 10, "c10",
                "node1", 3, "abc", List.of("0-5460"), "s3-0");
        String json = serde.writeValueAsString(keyed);
        assertTrue(json.contains("\"volumeKey\":\"s3-0\""), json);
        assertEquals(keyed, jackson.readValue(json, InstanceView.class));
        assertEquals(keyed, serde.readValue(json, InstanceView.class));
        String older = json.replace(",\"volumeKey\":\"s3-0\"", "");
        assertEquals(null, serde.readValue(older, InstanceView.class).volumeKey(), older);
    }

    @Test
    void anUnknownStateIsRefusedNamingTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClusterState.of("paused"));
        assertEquals("'paused' is not one of creating, ready, failed, deleting", e.getMessage());
    }

    @Test
    void stepsAreNamedAsTheApiAndSettingsNameThem() {
        assertEquals(List.of("deploy", "await-ready", "meet", "assign-slots", "replicate", "await-ok"),
                TaskKind.FORM.stepIds());
        assertEquals("slot-keys-moved", SlotMoveStep.KEYS_MOVED.id());
    }

    @Test
    void shardGroupsReadBackToTheirShardAndNothingElseDoes() {
        assertEquals("redis-c12-s3", Naming.shardGroup(12, 3));
        assertEquals(3, Naming.shardOf(12, "redis-c12-s3"));
        assertEquals(-1, Naming.shardOf(1, "redis-c12-s3"));
        assertEquals(-1, Naming.shardOf(12, "redis-c12-sx"));
        assertEquals(-1, Naming.shardOf(12, null));
        assertEquals("redis-shop", Naming.app("shop"));
    }

    @Test
    void volumeKeysNameAShardPositionAsTheSchedulerAcceptsThem() {
        assertEquals("s3-1", Naming.volumeKey(3, 1));
        assertTrue(Naming.volumeKey(12345, 0).matches(Schema.Deploy.VOLUME_KEY));
        assertThrows(IllegalArgumentException.class, () -> Naming.volumeKey(-1, 0));
        ClusterView kept = view(Persistence.AOF, 2);
        ShardDeployment shard = ShardDeployment.growth(kept, 1, List.of()).get(0);
        assertEquals(List.of("s4-0"), shard.master().volumes());
        assertEquals(List.of("s4-1", "s4-2"), shard.replicaSet().orElseThrow().volumes());
        assertEquals(null, ShardDeployment.growth(view(Persistence.NONE, 1), 1, List.of()).get(0).master().volumes(),
                "a cluster that keeps no data has no volumes to key");
    }

    @Test
    void volumeKeysReadBackToTheirShardAndNothingElseDoes() {
        assertEquals(3, Naming.volumeShard(Naming.volumeKey(3, 1)));
        assertEquals(12, Naming.volumeShard("s12-0"));
        for (String other : new String[] {null, "", "s", "s-1", "s3", "s3-", "sx-0", "t3-0", "s3-x", "s3--1"}) {
            assertEquals(-1, Naming.volumeShard(other), other);
        }
    }

    /**
     * A new shard starts empty: a shard number any volume is left at (a removed shard's whose removal was refused, an
     * abandoned instance's kept for an operator) is skipped, never mounted nor removed.
     */
    @Test
    void growthSkipsShardsThatAVolumeIsLeftAt() {
        List<Schema.Volume> left = List.of(volume("s4-0"), volume("s5-3"), volume("s7-1"));
        assertEquals(List.of(6, 8), ShardDeployment.growth(view(Persistence.AOF, 1), 2, left).stream()
                .map(ShardDeployment::shard).toList());
        ShardDeployment sixth = ShardDeployment.growth(view(Persistence.AOF, 1), 1, left).get(0);
        assertEquals(List.of("s6-0"), sixth.master().volumes());
        assertEquals(List.of("redis-c7-s6"), sixth.master().groups());
        assertEquals(List.of(4, 5), ShardDeployment.growth(view(Persistence.NONE, 1), 2, left).stream()
                .map(ShardDeployment::shard).toList(), "a cluster that keeps no data mounts no volume");
    }

    private static Schema.Volume volume(String key) {
        return new Schema.Volume("redis-shop", "team", key, "node1", "v-" + key, Instant.EPOCH, false, null);
    }

    private static ClusterView view(Persistence persistence, int replicas) {
        InstanceView master = new InstanceView(1, InstanceState.ACTIVE, Role.MASTER, "10.0.0.1", 6379, 10, "c10",
                "node1", 3, null, null);
        return new ClusterView(7, "shop", "team", "lab", ClusterState.READY, 4, replicas, "1", 1 << 26, 1 << 25,
                persistence, "noeviction", List.of(master), null, null, Instant.EPOCH, true);
    }
}
