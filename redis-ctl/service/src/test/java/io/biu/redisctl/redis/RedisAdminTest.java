package io.biu.redisctl.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.biu.redisctl.plan.Topology;
import org.junit.jupiter.api.Test;

/** A cluster's only master, which never met another, lists itself without an address: it is given the one asked. */
class RedisAdminTest {

    @Test
    void aMasterThatNeverMetAnotherGetsTheAddressItWasReachedAt() {
        String alone = "e7f1c1f4d8c2a6b3e9f0a1b2c3d4e5f6a7b8c9d0 :6379@16379 myself,master - 0 0 1 connected 0-16383\n";
        Topology t = Topology.parse(RedisAdmin.withOwnHost(alone, "10.64.128.9"));
        assertEquals("10.64.128.9", t.myself().host());
        assertEquals(6379, t.myself().port());
        assertEquals(16384, t.myself().slots().size());
    }

    @Test
    void knownAddressesAreLeftAsTheyAre() {
        String two = "aaaa 10.0.0.1:6379@16379 myself,master - 0 0 1 connected 0-8191\n"
                + "bbbb 10.0.0.2:6379@16379 master - 0 0 2 connected 8192-16383\n";
        assertEquals(two.strip(), RedisAdmin.withOwnHost(two, "10.9.9.9").strip());
    }
}
