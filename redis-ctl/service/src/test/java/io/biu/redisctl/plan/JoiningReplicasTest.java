package io.biu.redisctl.plan;

import static io.biu.redisctl.plan.Fixtures.inactive;
import static io.biu.redisctl.plan.Fixtures.master;
import static io.biu.redisctl.plan.Fixtures.replica;
import static io.biu.redisctl.plan.Fixtures.view;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which master a joining replica follows: never one on its own node, the one with the fewest replicas first. */
class JoiningReplicasTest {

    private final Member m0 = master(1, "a", 0, "m0");
    private final Member m1 = master(2, "b", 1, "m1");
    private final Member m2 = master(3, "c", 2, "m2");

    /** A replica just deployed on {@code node}: joining, in no shard yet. */
    private static Member joining(long id, String node, String redisId) {
        return inactive(replica(id, node, -1, redisId));
    }

    @Test
    void aJoiningReplicaFollowsTheMasterWithFewestReplicas() {
        Member joining = joining(9, "d", "j");
        List<Member> all = List.of(m0, m1, m2, replica(4, "b", 0, "r0"), replica(5, "c", 1, "r1"), joining);
        Topology view = view("m0", "m1", "m2", "r0>m0", "r1>m1", "j");
        assertEquals(new Replicas.Home.Follows(m2), Replicas.ofJoining(joining, all, view));
    }

    @Test
    void aJoiningReplicaNeverFollowsAMasterOnItsOwnNode() {
        // m2 has no replica yet, but it runs where the newcomer does
        Member joining = joining(9, "c", "j");
        List<Member> all = List.of(m0, m1, m2, replica(4, "b", 0, "r0"), replica(5, "c", 1, "r1"), joining);
        Topology view = view("m0", "m1", "m2", "r0>m0", "r1>m1", "j");
        assertEquals(new Replicas.Home.Follows(m0), Replicas.ofJoining(joining, all, view), "then the lowest shard");
    }

    @Test
    void aFailingOrInactiveMasterTakesNoReplica() {
        Member joining = joining(9, "d", "j");
        Member m1Joining = inactive(m1);
        List<Member> all = List.of(m0, m1Joining, m2, replica(4, "b", 2, "r2"), joining);
        Topology view = view("m0!", "m1", "m2", "r2>m2", "j");
        assertEquals(new Replicas.Home.Follows(m2), Replicas.ofJoining(joining, all, view),
                "m0 fails and m1 is not active yet: only m2 can take it");
    }

    @Test
    void aReplicaAnEarlierRunAttachedKeepsItsMaster() {
        Member joining = joining(9, "d", "j");
        List<Member> all = List.of(m0, m1, m2, replica(4, "b", 0, "r0"), joining);
        Topology view = view("m0", "m1", "m2", "r0>m0", "j>m0");
        assertEquals(new Replicas.Home.Keeps(m0), Replicas.ofJoining(joining, all, view),
                "no second REPLICATE (and full sync) after a crash");
    }

    @Test
    void withEveryMasterOnItsNodeTheReplicaHasNowhereToGo() {
        Member joining = joining(9, "a", "j");
        assertEquals(new Replicas.Home.Nowhere("a"), Replicas.ofJoining(joining, List.of(m0, joining), view("m0", "j")));
    }
}
