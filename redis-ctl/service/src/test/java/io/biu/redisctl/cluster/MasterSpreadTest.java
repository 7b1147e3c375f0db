package io.biu.redisctl.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.biu.redisctl.client.InstanceState;
import io.biu.redisctl.client.Role;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which replica a healed cluster promotes so that no node holds more masters than it must. */
class MasterSpreadTest {

    private static Instance instance(long id, String node, int shard, Role role) {
        return new Instance(id, 1, 100 + id, "c" + id, node, "10.0.0." + id, 6379, shard, role, "r" + id,
                Instant.EPOCH, InstanceState.ACTIVE);
    }

    private static Instance m(long id, String node, int shard) {
        return instance(id, node, shard, Role.MASTER);
    }

    private static Instance r(long id, String node, int shard) {
        return instance(id, node, shard, Role.REPLICA);
    }

    private static Optional<Long> promoted(Instance... members) {
        return MasterSpread.nextPromotion(List.of(members)).map(Instance::id);
    }

    @Test
    void oneMasterPerNodeStaysAsItIs() {
        assertEquals(Optional.empty(), promoted(m(1, "a", 0), r(2, "b", 0), m(3, "b", 1), r(4, "c", 1),
                m(5, "c", 2), r(6, "a", 2)));
    }

    @Test
    void twoMastersOnANodeAfterAFailoverMoveBackToTheNodeWithoutOne() {
        // shard 0's master died on node a; its replica on b took over, and the replacement replica landed on a
        assertEquals(Optional.of(7L), promoted(r(7, "a", 0), m(2, "b", 0), m(3, "b", 1), r(4, "c", 1),
                m(5, "c", 2), r(6, "a", 2)));
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
}
