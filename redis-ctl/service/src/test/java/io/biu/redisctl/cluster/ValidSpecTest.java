package io.biu.redisctl.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.redisctl.api.CtlError;
import io.biu.redisctl.api.CtlException;
import io.biu.redisctl.client.ClusterSpec;
import io.biu.redisctl.client.Persistence;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ValidSpecTest {

    private static ClusterSpec spec(String name, Integer masters, Integer replicas, String cpu, String memory,
            String persistence, String eviction) {
        return new ClusterSpec(name, "lab", masters, replicas, cpu == null ? null : new BigDecimal(cpu), memory,
                persistence, eviction);
    }

    @Test
    void defaultsAreThreeMastersWithAReplicaEachOfHalfACoreAndOneGibWithAof() {
        ValidSpec v = ValidSpec.of(spec("orders", null, null, null, null, null, null));
        assertEquals(3, v.masters());
        assertEquals(1, v.replicas());
        assertEquals(0, new BigDecimal("0.5").compareTo(v.cpu()));
        assertEquals(1024L * 1024 * 1024, v.memory());
        assertEquals(Persistence.AOF, v.persistence());
        assertEquals("noeviction", v.eviction());
    }

    @Test
    void snapshotsAndMemoryOnlyAreTheOtherPersistences() {
        assertEquals(Persistence.RDB, ValidSpec.of(spec("orders", null, null, null, null, "rdb", null)).persistence());
        assertEquals(Persistence.NONE, ValidSpec.of(spec("orders", null, null, null, null, "none", null))
                .persistence());
    }

    @ParameterizedTest
    @CsvSource(nullValues = "null", value = {
        "Orders, 3, 1, 0.5, 1GiB, aof, noeviction, name",
        "1st, 3, 1, 0.5, 1GiB, aof, noeviction, name",
        "a-name-that-is-far-too-long-for-a-cluster-x, 3, 1, 0.5, 1GiB, aof, noeviction, name",
        "orders, 0, 1, 0.5, 1GiB, aof, noeviction, masters",
        "orders, 129, 1, 0.5, 1GiB, aof, noeviction, masters",
        "orders, 3, -1, 0.5, 1GiB, aof, noeviction, replicas",
        "orders, 3, 6, 0.5, 1GiB, aof, noeviction, replicas",
        "orders, 3, 1, 0, 1GiB, aof, noeviction, cpu",
        "orders, 3, 1, -1, 1GiB, aof, noeviction, cpu",
        "orders, 3, 1, 65, 1GiB, aof, noeviction, cpu",
        "orders, 3, 1, 1E-999999999, 1GiB, aof, noeviction, cpu",
        "orders, 3, 1, 1E+999999999, 1GiB, aof, noeviction, cpu",
        "orders, 3, 1, 0.5, lots, aof, noeviction, memory",
        "orders, 3, 1, 0.5, 1MiB, aof, noeviction, memory",
        "orders, 3, 1, 0.5, 1024GiB, aof, noeviction, memory",
        "orders, 3, 1, 0.5, 99999999999999999999GiB, aof, noeviction, memory",
        "orders, 3, 1, 0.5, 1GiB, fsync, noeviction, persistence",
        "orders, 3, 1, 0.5, 1GiB, aof, lru, eviction",
    })
    void badValuesAreRefusedNamingTheField(String name, Integer masters, Integer replicas, String cpu, String memory,
            String persistence, String eviction, String field) {
        CtlException e = assertThrows(CtlException.class,
                () -> ValidSpec.of(spec(name, masters, replicas, cpu, memory, persistence, eviction)));
        assertEquals(CtlError.INVALID, e.error());
        assertTrue(e.getMessage().contains(field), e.getMessage());
    }

    @Test
    void aMissingPodIsRefused() {
        CtlException e = assertThrows(CtlException.class,
                () -> ValidSpec.of(new ClusterSpec("orders", " ", null, null, null, null, null, null)));
        assertTrue(e.getMessage().contains("pod"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"64MiB, 67108864", "64m, 67108864", "1GiB, 1073741824", "1.5g, 1610612736", "512MB, 536870912",
        "67108864, 67108864"})
    void sizesAreBinaryWhateverTheSpelling(String text, long bytes) {
        assertEquals(bytes, ValidSpec.parseSize(text));
    }

    @Test
    void bulkyValuesAreRefusedUnreadAndQuotedBriefly() {
        CtlException e = assertThrows(CtlException.class,
                () -> ValidSpec.of(spec("orders", null, null, null, "9".repeat(400_000), null, null)));
        assertTrue(e.getMessage().startsWith("memory '999"), e.getMessage());
        assertTrue(e.getMessage().length() < 150, e.getMessage());
        e = assertThrows(CtlException.class,
                () -> ValidSpec.of(spec("x".repeat(400_000), null, null, null, null, null, null)));
        assertTrue(e.getMessage().contains("(400000 characters)"), e.getMessage());
        assertTrue(e.getMessage().length() < 200, e.getMessage());
        e = assertThrows(CtlException.class,
                () -> ValidSpec.of(spec("orders", null, null, "1E-999999999", null, null, null)));
        assertTrue(e.getMessage().endsWith("not 1E-999999999"), e.getMessage());
    }
}
