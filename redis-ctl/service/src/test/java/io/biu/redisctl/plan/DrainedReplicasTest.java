package io.biu.redisctl.plan;

import static io.biu.redisctl.plan.Fixtures.ids;
import static io.biu.redisctl.plan.Fixtures.inactive;
import static io.biu.redisctl.plan.Fixtures.view;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which of a drained master's replicas are re-homed (and where to) and which retire with it. */
class DrainedReplicasTest {

    private static Member master(long id, int shard, String redisId) {
        return Fixtures.master(id, "node" + id, shard, redisId);
    }

    private static Member replica(long id, int shard, String redisId) {
        return Fixtures.replica(id, "node" + id, shard, redisId);
    }

    /** The drained master, no longer active (DRAINING since the request). */
    private static Member drained(long id, int shard, String redisId) {
        return inactive(master(id, shard, redisId));
    }

    @Test
    void aReplicaTheMastersLeftNeedIsReHomed() {
        // the migration scenario: two masters with a replica each, a third joined without one; m0 is drained
        Member m0 = drained(1, 0, "m0");
        List<Member> all = List.of(m0, replica(2, 0, "r0"), master(3, 1, "m1"), replica(4, 1, "r1"),
                master(5, 2, "m2"));
        Replicas.Drained plan = Replicas.ofDrained(m0, all, view("m0", "r0>m0", "m1", "r1>m1", "m2"), 1);
        assertEquals(List.of(2L), ids(plan.keep()));
        assertEquals(List.of(), plan.retire());
        assertEquals(2, plan.needed());
        assertEquals(1, plan.have());
        assertEquals(Map.of("m1", 1), plan.followers());
    }

    @Test
    void aReplicaNoMasterLeftNeedsIsRetired() {
        Member m0 = drained(1, 0, "m0");
        List<Member> all = List.of(m0, replica(2, 0, "r0"), master(3, 1, "m1"), replica(4, 1, "r1"),
                master(5, 2, "m2"), replica(6, 2, "r2"));
        Replicas.Drained plan = Replicas.ofDrained(m0, all, view("m0", "r0>m0", "m1", "r1>m1", "m2", "r2>m2"), 1);
        assertEquals(List.of(), plan.keep());
        assertEquals(List.of(2L), ids(plan.retire()));
        assertEquals(2, plan.needed());
        assertEquals(2, plan.have());
    }

    @Test
    void replicasAreKeptInOrderUntilTheMastersLeftHaveWhatTheyNeed() {
        // two replicas per master: the masters left need 4 and have 3
        Member m0 = drained(1, 0, "m0");
        List<Member> all = List.of(m0, replica(2, 0, "r0a"), replica(3, 0, "r0b"), master(4, 1, "m1"),
                replica(5, 1, "r1a"), replica(6, 1, "r1b"), master(7, 2, "m2"), replica(8, 2, "r2a"));
        Replicas.Drained plan = Replicas.ofDrained(m0, all,
                view("m0", "r0a>m0", "r0b>m0", "m1", "r1a>m1", "r1b>m1", "m2", "r2a>m2"), 2);
        assertEquals(List.of(2L), ids(plan.keep()));
        assertEquals(List.of(3L), ids(plan.retire()));
        assertEquals(4, plan.needed());
        assertEquals(3, plan.have());
    }

    @Test
    void aReplicaRedisMovedOnItsOwnIsStillTheDrainedMastersOne() {
        // m0 lost its last slot to m2: Redis made m0 and its replica follow m2; redis-ctl books r0 in shard 0
        Member m0 = drained(1, 0, "m0");
        List<Member> all = List.of(m0, replica(2, 0, "r0"), master(3, 1, "m1"), replica(4, 1, "r1"),
                master(5, 2, "m2"), replica(6, 2, "r2"));
        Replicas.Drained plan = Replicas.ofDrained(m0, all, view("m0>m2", "r0>m2", "m1", "r1>m1", "m2", "r2>m2"), 1);
        assertEquals(List.of(2L), ids(plan.retire()));
        assertEquals(2, plan.have(), "neither the drained master nor r0 counts as a replica the others have");
        assertEquals(Map.of("m1", 1, "m2", 1), plan.followers());
    }

    @Test
    void aRunAfterACrashKeepsTheDecisionsOfTheLastOne() {
        // before the crash: r0a was re-homed to m2 (and booked in its shard), r0b retired; r0c is left
        Member m0 = drained(1, 0, "m0");
        List<Member> all = List.of(m0, replica(2, 2, "r0a"), inactive(replica(3, 0, "r0b")), replica(4, 0, "r0c"),
                master(5, 1, "m1"), replica(6, 1, "r1"), master(7, 2, "m2"));
        Replicas.Drained plan = Replicas.ofDrained(m0, all,
                view("m0", "r0a>m2", "r0b>m0", "r0c>m0", "m1", "r1>m1", "m2"), 1);
        assertEquals(List.of(), plan.keep());
        assertEquals(List.of(4L), ids(plan.retire()));
        assertEquals(2, plan.have());
    }

    @Test
    void aClusterWithoutReplicasRetiresNone() {
        Member m0 = drained(1, 0, "m0");
        Replicas.Drained plan = Replicas.ofDrained(m0, List.of(m0, master(2, 1, "m1")), view("m0", "m1"), 0);
        assertEquals(List.of(), plan.keep());
        assertEquals(List.of(), plan.retire());
        assertEquals(0, plan.needed());
    }

    @Test
    void aKeptReplicaGoesToTheMasterWithFewestReplicasOnAnotherNode() {
        Member m0 = drained(1, 0, "m0");
        Member r0 = replica(2, 0, "r0");
        List<Member> all = List.of(m0, r0, master(3, 1, "m1"), replica(4, 1, "r1"), master(5, 2, "m2"));
        Topology view = view("m0", "r0>m0", "m1", "r1>m1", "m2");
        assertEquals(new Replicas.Home.Follows(all.get(4)),
                Replicas.ofKept(r0, m0, "m0", all, view, new HashMap<>(Map.of("m1", 1))));
    }

    @Test
    void aKeptReplicaRedisAlreadyMovedStaysWhereItIsIfThatIsAsGood() {
        Member m0 = drained(1, 0, "m0");
        Member r0 = replica(2, 0, "r0");
        Member m1 = master(3, 1, "m1");
        Member m2 = master(5, 2, "m2");
        List<Member> all = List.of(m0, r0, m1, m2);
        Topology view = view("m0>m2", "r0>m2", "m1", "m2");
        assertEquals(new Replicas.Home.Keeps(m2), Replicas.ofKept(r0, m0, "m2", all, view, new HashMap<>()),
                "no resync for a tie");
        assertEquals(new Replicas.Home.Follows(m1), Replicas.ofKept(r0, m0, "m2", all, view,
                new HashMap<>(Map.of("m2", 1))), "m1 has fewer replicas");
    }

    @Test
    void aKeptReplicaStaysWhereRedisMovedItWhenNoMasterOnAnotherNodeCanTakeIt() {
        Member m0 = drained(1, 0, "m0");
        Member r0 = Fixtures.replica(2, "node5", 0, "r0");
        Member m2 = master(5, 2, "m2");
        List<Member> all = List.of(m0, r0, m2);
        assertEquals(new Replicas.Home.Keeps(m2), Replicas.ofKept(r0, m0, "m2", all, view("m0>m2", "r0>m2", "m2"),
                new HashMap<>()));
        assertEquals(new Replicas.Home.Nowhere("node5"), Replicas.ofKept(r0, m0, "m0", all,
                view("m0", "r0>m0", "m2"), new HashMap<>()), "following the drained master, with nowhere else to go");
    }
}
