package io.biu.redisctl.plan;

import static io.biu.redisctl.plan.Fixtures.inactive;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which replica a healed cluster promotes so that no node holds more masters than it must. */
class MasterSpreadTest {

    private static Member m(long id, String node, int shard) {
        return Fixtures.master(id, node, shard, "r" + id);
    }

    private static Member r(long id, String node, int shard) {
        return Fixtures.replica(id, node, shard, "r" + id);
    }

    private static Optional<Long> promoted(Member... members) {
        return MasterSpread.next(List.of(members)).map(p -> p.replica().id());
    }

    @Test
    void oneMasterPerNodeStaysAsItIs() {
        assertEquals(Optional.empty(), promoted(m(1, "a", 0), r(2, "b", 0), m(3, "b", 1), r(4, "c", 1),
                m(5, "c", 2), r(6, "a", 2)));
    }

    @Test
    void twoMastersOnANodeAfterAFailoverMoveBackToTheNodeWithoutOne() {
        // shard 0's master died on node a; its replica on b took over, and the replacement replica landed on a
        MasterSpread.Promotion p = MasterSpread.next(List.of(r(7, "a", 0), m(2, "b", 0), m(3, "b", 1), r(4, "c", 1),
                m(5, "c", 2), r(6, "a", 2))).orElseThrow();
        assertEquals(7L, p.replica().id());
        assertEquals(2L, p.master().id());
        assertEquals(2, p.mastersOnFrom(), "b holds two masters");
        assertEquals(0, p.mastersOnTo(), "a holds none");
    }

    @Test
    void theReplicaOnTheNodeWithFewestMastersIsChosen() {
        // three masters on a; shard 0 has replicas on b (one master) and c (none)
        assertEquals(Optional.of(12L), promoted(m(1, "a", 0), m(2, "a", 1), m(3, "a", 2), m(4, "b", 3),
                r(11, "b", 0), r(12, "c", 0)));
    }

    @Test
    void aMoveThatOnlySwapsThePileIsNotMade() {
        // two masters on a, one on b; the only replica is on b: promoting it would leave a and b at one and two
        assertEquals(Optional.empty(), promoted(m(1, "a", 0), m(2, "a", 1), m(3, "b", 2), r(4, "b", 0)));
    }

    @Test
    void withoutAReplicaElsewhereNothingMoves() {
        assertEquals(Optional.empty(), promoted(m(1, "a", 0), m(2, "a", 1), r(3, "a", 0), m(4, "b", 2)));
    }

    @Test
    void aReplicaThatIsNotActiveIsNotPromoted() {
        // the only replica elsewhere is still joining
        assertEquals(Optional.empty(), promoted(m(1, "a", 0), m(2, "a", 1), inactive(r(3, "c", 0)), m(4, "b", 2)));
    }

    @Test
    void aPromotionThatDoesNotHelpCannotBeMade() {
        assertThrows(IllegalArgumentException.class, () -> new MasterSpread.Promotion(r(2, "b", 0), m(1, "a", 0), 2, 1));
        assertThrows(IllegalArgumentException.class, () -> new MasterSpread.Promotion(r(2, "b", 1), m(1, "a", 0), 2, 0),
                "a replica of another shard");
    }
}
