package io.biu.redisctl.plan;

import static io.biu.redisctl.plan.Fixtures.ids;
import static io.biu.redisctl.plan.Fixtures.inactive;
import static io.biu.redisctl.plan.Fixtures.master;
import static io.biu.redisctl.plan.Fixtures.replica;
import static io.biu.redisctl.plan.Fixtures.view;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * How healing proceeds, on the clusters the healing scenarios met: three shards over nodes a, b and c, each master's
 * replica on the next node (m0 on a with r0 on b, m1 on b with r1 on c, m2 on c with r2 on a), unless said otherwise.
 */
class HealingTest {

    private final Member m0 = master(1, "a", 0, "m0");
    private final Member m1 = master(2, "b", 1, "m1");
    private final Member m2 = master(3, "c", 2, "m2");
    private final Member r0 = replica(4, "b", 0, "r0");
    private final Member r1 = replica(5, "c", 1, "r1");
    private final Member r2 = replica(6, "a", 2, "r2");

    private static List<Integer> slots(int first, int last) {
        return IntStream.rangeClosed(first, last).boxed().toList();
    }

    @Test
    void aKilledMasterWaitsForTheElectionTheReplacementFollowsTheNewMasterAndMastersSpreadBack() {
        Member dead = inactive(m0);
        assertEquals(new Failover.Waiting(1, 3), Failover.of(view("m1 5461-10922", "m0! 0-5460", "m2 10923-16383",
                "r0>m0", "r1>m1", "r2>m2"), "m0"), "two of three masters can still vote");

        Topology elected = view("m1 5461-10922", "m0! ", "m2 10923-16383", "r0 0-5460", "r1>m1", "r2>m2");
        assertEquals(new Failover.Done(), Failover.of(elected, "m0"));
        List<Member> rebooked = Roles.changed(List.of(dead, m1, m2, r0, r1, r2), elected);
        assertEquals(List.of(r0.as(Member.Role.MASTER)), rebooked, "r0 is shard 0's master now");
        Member promoted = rebooked.get(0);
        assertEquals(new Replacement.Replica(promoted), Replacement.of(dead, List.of(dead, m1, m2, promoted, r1, r2)));

        // the replacement landed on a; b now holds two masters, a none
        Member replacement = replica(7, "a", 0, "n0");
        MasterSpread.Promotion back = MasterSpread.next(List.of(m1, m2, promoted, r1, r2, replacement)).orElseThrow();
        assertEquals(replacement, back.replica());
        assertEquals(2, back.mastersOnFrom());
        assertEquals(0, back.mastersOnTo());
    }

    @Test
    void twoMastersLostOnOneNodeLeaveNoMajoritySoTheirReplicasTakeOver() {
        // after an earlier failover node a held m0 and m1, and a was cut off
        Topology cut = view("m2 10923-16383", "m0! 0-5460", "m1! 5461-10922", "r0>m0", "r1>m1", "r2>m2");
        Failover m0Fails = Failover.of(cut, "m0");
        assertEquals(new Failover.NoMajority(2, 3), m0Fails, "one master left of three cannot elect anyone");
        assertTrue(m0Fails.takeOver());
        List<Member> members = List.of(inactive(m0), inactive(m1), m2, r0, r1, r2);
        assertEquals(List.of(4L), ids(Failover.candidates(inactive(m0), members)));

        // r0 took over: with two of three masters the others can elect again
        Topology tookOver = view("m2 10923-16383", "m0! ", "m1! 5461-10922", "r0 0-5460", "r1>m1", "r2>m2");
        assertEquals(new Failover.Done(), Failover.of(tookOver, "m0"));
        assertEquals(new Failover.Waiting(1, 3), Failover.of(tookOver, "m1"));
    }

    @Test
    void halfTheMastersLostIsNoMajorityEither() {
        // four shards, two masters lost with node a: two votes of four elect no one
        Topology cut = view("m2 8192-12287", "m0! 0-4095", "m1! 4096-8191", "m3 12288-16383", "r0>m0", "r1>m1");
        assertEquals(new Failover.NoMajority(2, 4), Failover.of(cut, "m0"));
        assertEquals(new Failover.Waiting(1, 4), Failover.of(view("m2 8192-12287", "m0! 0-4095", "m1 4096-8191",
                "m3 12288-16383"), "m0"));
    }

    @Test
    void aReplicaWhoseMasterFailedTooIsOnlyAskedToBeOk() {
        // healing m0, lost with m1 on one node: r1 waits for its own promotion, which the records learn later
        Member newReplica = inactive(replica(7, "c", 0, "n0"));
        Map<Long, Convergence.Check> checks = Convergence.of(List.of(m2, r0.as(Member.Role.MASTER), r1, r2,
                newReplica));
        assertEquals(new Convergence.Check.ClusterOk(), checks.get(r1.id()));
        assertEquals(new Convergence.Check.Follows("r0"), checks.get(newReplica.id()));
        assertEquals(new Convergence.Check.Follows("m2"), checks.get(r2.id()));
        assertEquals(new Convergence.Check.ClusterOk(), checks.get(m2.id()));
    }

    @Test
    void aLostReplicaIsReplacedByAReplicaOfItsShardsMaster() {
        // node c lost r1 (and m2, healed first)
        Member dead = inactive(r1);
        assertEquals(new Failover.Done(), Failover.of(view("m0 0-5460", "m1 5461-10922", "r2 10923-16383", "r1!>m1"),
                "r1"), "a replica holds no slot: nothing to wait for");
        assertEquals(new Replacement.Replica(m1), Replacement.of(dead, List.of(m0, m1, r0, dead, r2)));
    }

    @Test
    void aMasterLostWithItsReplicaIsAnIncidentWhoseSlotsAreServedAgainEmpty() {
        // m0 on a and r0 on b were both lost: no replica can take over, the shard has no member left
        Member deadMaster = inactive(m0);
        Member deadReplica = inactive(r0);
        List<Member> members = List.of(deadMaster, m1, m2, deadReplica, r1, r2);
        Topology view = view("m1 5461-10922", "m0! 0-5460", "m2 10923-16383", "r0!>m0", "r1>m1", "r2>m2");
        assertEquals(new Failover.Waiting(1, 3), Failover.of(view, "m0"), "an election that never comes");
        assertTrue(new Failover.NoElection(Duration.ofSeconds(30)).takeOver());
        assertEquals(List.of(), Failover.candidates(deadMaster, members), "no replica survived");
        assertEquals(new Replacement.Master(0), Replacement.of(deadMaster, members));
        assertEquals(slots(0, 5460), SlotPlan.lost(view.owners(), "m0"));

        // then the lost replica's replacement follows the shard's new master
        Member newMaster = master(7, "c", 0, "n0");
        assertEquals(new Replacement.Replica(newMaster), Replacement.of(deadReplica, List.of(newMaster, m1, m2,
                deadReplica, r1, r2)));
    }

    @Test
    void aShardWithoutReplicasServesItsSlotsAgainEmptyAfterTheElectionThatCannotCome() {
        // a cluster without replicas: m1's container died
        Member dead = inactive(m1);
        List<Member> members = List.of(m0, dead, m2);
        Topology view = view("m0 0-5460", "m1! 5461-10922", "m2 10923-16383");
        assertEquals(new Failover.Waiting(1, 3), Failover.of(view, "m1"));
        assertEquals(List.of(), Failover.candidates(dead, members));
        assertEquals(new Replacement.Master(1), Replacement.of(dead, members));
        assertEquals(slots(5461, 10922), SlotPlan.lost(view.owners(), "m1"));
        // a survivor that forgot m1 already sees those slots unowned: lost all the same
        assertEquals(slots(5461, 10922), SlotPlan.lost(view("m0 0-5460", "m2 10923-16383").owners(), "m1"));
    }

    @Test
    void aMasterWhoseIdWasNeverKnownHasNothingToWaitForAndNoOneToTakeOver() {
        Member unknown = inactive(new Member(1, null, "a", 0, Member.Role.MASTER, true));
        Topology view = view("m1 5461-10922", "m2 10923-16383", "r0>m1");
        assertEquals(new Failover.Done(), Failover.of(view, null));
        assertEquals(List.of(), Failover.candidates(unknown, List.of(unknown, m1, m2, r0)));
    }

    @Test
    void rolesFollowTheClusterExceptWhereItsViewCannotBeTrusted() {
        // r0 was promoted, m0 came back as its replica; r1 shows as a failing master, r2 is unknown to this view, and
        // an instance no longer active is not rebooked whatever the view says of its id
        Topology view = view("r0 0-5460", "m0>r0", "m1 5461-10922", "r1!", "m2 10923-16383", "x>m2");
        List<Member> changed = Roles.changed(List.of(m0, r0, m1, r1, m2, r2, inactive(master(8, "c", 3, "x"))), view);
        assertEquals(List.of(m0.as(Member.Role.REPLICA), r0.as(Member.Role.MASTER)), changed);
    }

    @Test
    void rolesFollowWhatEachMemberSaysOfItselfNotAnotherMembersViewThatLags() {
        // a replacement n0 was just attached to m0, which every new node starts as a master: m1 has not heard yet
        Member n0 = replica(7, "a", 0, "n0");
        List<Member> members = List.of(m0, n0, m1, r1, m2, r2);
        Topology m1Sees = view("m1 5461-10922", "m0 0-5460", "n0", "m2 10923-16383", "r1>m1", "r2>m2");
        assertEquals(List.of(n0.as(Member.Role.MASTER)), Roles.changed(members, m1Sees), "m1's view would swap it");
        List<Topology.Node> selves = List.of(self("m0 0-5460"), self("n0>m0"), self("m1 5461-10922"), self("r1>m1"),
                self("m2 10923-16383"), self("r2>m2"));
        assertEquals(List.of(), Roles.changed(members, selves), "n0 knows it follows m0");

        // then n0 was promoted, and m0 follows it: each knows before m1 does
        List<Topology.Node> promoted = List.of(self("m0>n0"), self("n0 0-5460"), self("m1 5461-10922"),
                self("r1>m1"), self("m2 10923-16383"), self("r2>m2"));
        Topology m1StillSees = view("m1 5461-10922", "m0 0-5460", "n0>m0", "m2 10923-16383", "r1>m1", "r2>m2");
        assertEquals(List.of(), Roles.changed(members, m1StillSees), "m1 has not heard of the promotion");
        assertEquals(List.of(m0.as(Member.Role.REPLICA), n0.as(Member.Role.MASTER)),
                Roles.changed(members, promoted));
    }

    /** A member's own line of CLUSTER NODES. */
    private static Topology.Node self(String node) {
        return view(node).myself();
    }

    @Test
    void noMajorityNeedsAtLeastHalfTheMastersFailing() {
        assertThrows(IllegalArgumentException.class, () -> new Failover.NoMajority(1, 3));
        assertFalse(new Failover.Waiting(1, 3).takeOver());
        assertFalse(new Failover.Done().takeOver());
    }
}
