package io.biu.proxy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AddressTest {

    @Test
    void parsesHostAndPort() {
        assertEquals(new Address("127.0.0.1", 6379), Address.parse("127.0.0.1:6379"));
        assertEquals(new Address("redis-0.redis.biu.svc", 7000), Address.parse("redis-0.redis.biu.svc:7000"));
        assertEquals(new Address("h", 1), Address.parse("h:1"));
        assertEquals(new Address("h", 65535), Address.parse("h:65535"));
    }

    @Test
    void parsesIpv6InBrackets() {
        assertEquals(new Address("::1", 6379), Address.parse("[::1]:6379"));
        assertEquals(new Address("2001:db8::7", 7001), Address.parse("[2001:db8::7]:7001"));
    }

    @Test
    void thePortFollowsTheLastColon() {
        assertEquals(new Address("fe80::1", 6379), Address.parse("fe80::1:6379"));
    }

    @Test
    void printsAsHostColonPort() {
        assertEquals("10.0.0.3:6379", new Address("10.0.0.3", 6379).toString());
        assertEquals(Address.parse("10.0.0.3:6379"), Address.parse(Address.parse("10.0.0.3:6379").toString()));
    }

    @Test
    void refusesWhatIsNotHostColonPort() {
        for (String bad : new String[] {"", "localhost", ":6379", "host:", "host:abc", "host:6379x", "host: 6379",
            "host:0", "host:-1", "host:65536", "host:99999999999", "[::1]"}) {
            assertThrows(IllegalArgumentException.class, () -> Address.parse(bad), "'" + bad + "'");
        }
    }

    @Test
    void refusesPortsOutOfRangeAndNoHost() {
        assertThrows(IllegalArgumentException.class, () -> new Address("h", 0));
        assertThrows(IllegalArgumentException.class, () -> new Address("h", 65536));
        assertThrows(NullPointerException.class, () -> new Address(null, 6379));
    }

    @Test
    void addressesAreValues() {
        assertEquals(new Address("a", 1), new Address("a", 1));
        assertEquals(new Address("a", 1).hashCode(), new Address("a", 1).hashCode());
    }
}
