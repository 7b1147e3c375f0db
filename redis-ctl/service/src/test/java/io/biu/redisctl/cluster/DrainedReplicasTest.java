package io.biu.redisctl.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.biu.redisctl.api.CtlException;
import io.biu.redisctl.client.InstanceState;
import io.biu.redisctl.client.Role;
import io.biu.redisctl.plan.Topology;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which of a drained master's replicas are re-homed (and where to) and which retire with it. */
class DrainedReplicasTest {

    private static Instance master(long id, int shard, String redisId) {
        return new Instance(id, 1, 100 + id, "c" + id, "node" + id, "10.0.0." + id, 6379, shard, Role.MASTER,
                redisId, Instant.EPOCH, InstanceState.ACTIVE);
    }

    private static Instance replica(long id, int shard, String redisId) {
        return new Instance(id, 1, 100 + id, "c" + id, "node" + id, "10.0.0." + id, 6379, shard, Role.REPLICA,
                redisId, Instant.EPOCH, InstanceState.ACTIVE);
    }

    /** CLUSTER NODES lines: "id" for a master, "id>master" for a replica. */
    private static Topology view(String... nodes) {
        StringBuilder text = new StringBuilder();
        int port = 1;
        for (String n : nodes) {
            String[] f = n.split(">");
            text.append(f[0]).append(" 10.0.1.").append(port++).append(":6379@16379 ")
                    .append(f.length == 1 ? "master - " : "slave " + f[1] + " ").append("0 0 1 connected\n");
        }
        return Topology.parse(text.toString());
    }

    private static List<Long> ids(List<Instance> instances) {
        return instances.stream().map(Instance::id).toList();
    }

    @Test
    void aReplicaTheMastersLeftNeedIsReHomed() {
        // the migration scenario: two masters with a replica each, a third joined without one; m0 is drained
        Instance m0 = master(1, 0, "m0");
        List<Instance> all = List.of(m0, replica(2, 0, "r0"), master(3, 1, "m1"), replica(4, 1, "r1"),
                master(5, 2, "m2"));
        var plan = Reshaping.drainedReplicas(m0.with(InstanceState.DRAINING), all, view("m0", "r0>m0", "m1", "r1>m1", "m2"), 1);
        assertEquals(List.of(2L), ids(plan.keep()));
        assertEquals(List.of(), plan.retire());
        assertEquals(2, plan.needed());
        assertEquals(1, plan.have());
        assertEquals(Map.of("m1", 1), plan.followers());
    }

    @Test
    void aReplicaNoMasterLeftNeedsIsRetired() {
        Instance m0 = master(1, 0, "m0").with(InstanceState.DRAINING);
        List<Instance> all = List.of(m0, replica(2, 0, "r0"), master(3, 1, "m1"), replica(4, 1, "r1"),
                master(5, 2, "m2"), replica(6, 2, "r2"));
        var plan = Reshaping.drainedReplicas(m0, all, view("m0", "r0>m0", "m1", "r1>m1", "m2", "r2>m2"), 1);
        assertEquals(List.of(), plan.keep());
        assertEquals(List.of(2L), ids(plan.retire()));
        assertEquals(2, plan.needed());
        assertEquals(2, plan.have());
    }

    @Test
    void replicasAreKeptInOrderUntilTheMastersLeftHaveWhatTheyNeed() {
        // two replicas per master: the masters left need 4 and have 3
        Instance m0 = master(1, 0, "m0").with(InstanceState.DRAINING);
        List<Instance> all = List.of(m0, replica(2, 0, "r0a"), replica(3, 0, "r0b"), master(4, 1, "m1"),
                replica(5, 1, "r1a"), replica(6, 1, "r1b"), master(7, 2, "m2"), replica(8, 2, "r2a"));
        var plan = Reshaping.drainedReplicas(m0, all,
                view("m0", "r0a>m0", "r0b>m0", "m1", "r1a>m1", "r1b>m1", "m2", "r2a>m2"), 2);
        assertEquals(List.of(2L), ids(plan.keep()));
        assertEquals(List.of(3L), ids(plan.retire()));
        assertEquals(4, plan.needed());
        assertEquals(3, plan.have());
    }

    @Test
    void aReplicaRedisMovedOnItsOwnIsStillTheDrainedMastersOne() {
        // m0 lost its last slot to m2: Redis made m0 and its replica follow m2; redis-ctl books r0 in shard 0
        Instance m0 = master(1, 0, "m0").with(InstanceState.DRAINING);
        List<Instance> all = List.of(m0, replica(2, 0, "r0"), master(3, 1, "m1"), replica(4, 1, "r1"),
                master(5, 2, "m2"), replica(6, 2, "r2"));
        var plan = Reshaping.drainedReplicas(m0, all, view("m0>m2", "r0>m2", "m1", "r1>m1", "m2", "r2>m2"), 1);
        assertEquals(List.of(2L), ids(plan.retire()));
        assertEquals(2, plan.have(), "neither the drained master nor r0 counts as a replica the others have");
        assertEquals(Map.of("m1", 1, "m2", 1), plan.followers());
    }

    @Test
    void aRunAfterACrashKeepsTheDecisionsOfTheLastOne() {
        // before the crash: r0a was re-homed to m2 (and booked in its shard), r0b retired; r0c is left
        Instance m0 = master(1, 0, "m0").with(InstanceState.DRAINING);
        List<Instance> all = List.of(m0, replica(2, 2, "r0a"), replica(3, 0, "r0b").with(InstanceState.DRAINING),
                replica(4, 0, "r0c"), master(5, 1, "m1"), replica(6, 1, "r1"), master(7, 2, "m2"));
        var plan = Reshaping.drainedReplicas(m0, all, view("m0", "r0a>m2", "r0b>m0", "r0c>m0", "m1", "r1>m1", "m2"),
                1);
        assertEquals(List.of(), plan.keep());
        assertEquals(List.of(4L), ids(plan.retire()));
        assertEquals(2, plan.have());
    }

    @Test
    void aClusterWithoutReplicasRetiresNone() {
        Instance m0 = master(1, 0, "m0").with(InstanceState.DRAINING);
        var plan = Reshaping.drainedReplicas(m0, List.of(m0, master(2, 1, "m1")), view("m0", "m1"), 0);
        assertEquals(List.of(), plan.keep());
        assertEquals(List.of(), plan.retire());
        assertEquals(0, plan.needed());
    }

    @Test
    void aKeptReplicaGoesToTheMasterWithFewestReplicasOnAnotherNode() {
        Instance m0 = master(1, 0, "m0").with(InstanceState.DRAINING);
        Instance r0 = replica(2, 0, "r0");
        List<Instance> all = List.of(m0, r0, master(3, 1, "m1"), replica(4, 1, "r1"), master(5, 2, "m2"));
        Topology view = view("m0", "r0>m0", "m1", "r1>m1", "m2");
        assertEquals(5L, Reshaping.Drain.target(all, view, m0, r0, "m0", new HashMap<>(Map.of("m1", 1))).id());
    }

    @Test
    void aKeptReplicaRedisAlreadyMovedStaysWhereItIsIfThatIsAsGood() {
        Instance m0 = master(1, 0, "m0").with(InstanceState.DRAINING);
        Instance r0 = replica(2, 0, "r0");
        List<Instance> all = List.of(m0, r0, master(3, 1, "m1"), master(5, 2, "m2"));
        Topology view = view("m0>m2", "r0>m2", "m1", "m2");
        assertEquals(5L, Reshaping.Drain.target(all, view, m0, r0, "m2", new HashMap<>()).id(), "no resync for a tie");
        assertEquals(3L, Reshaping.Drain.target(all, view, m0, r0, "m2", new HashMap<>(Map.of("m2", 1))).id(),
                "m1 has fewer replicas");
    }

    @Test
    void aKeptReplicaStaysWhereRedisMovedItWhenNoMasterOnAnotherNodeCanTakeIt() {
        Instance m0 = master(1, 0, "m0").with(InstanceState.DRAINING);
        Instance r0 = new Instance(2L, 1, 102, "c2", "node5", "10.0.0.2", 6379, 0, Role.REPLICA, "r0", Instant.EPOCH,
                InstanceState.ACTIVE);
        List<Instance> all = List.of(m0, r0, master(5, 2, "m2"));
        Topology view = view("m0>m2", "r0>m2", "m2");
        assertEquals(5L, Reshaping.Drain.target(all, view, m0, r0, "m2", new HashMap<>()).id());
        assertThrows(CtlException.class, () -> Reshaping.Drain.target(all, view("m0", "r0>m0", "m2"), m0, r0, "m0",
                new HashMap<>()), "following the drained master, with nowhere else to go");
    }
}
