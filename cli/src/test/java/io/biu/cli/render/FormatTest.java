package io.biu.cli.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class FormatTest {

    @Test
    void durationsReadAsPeopleSayThem() {
        assertEquals("7.4 s", Format.duration(Duration.ofMillis(7400)));
        assertEquals("0.0 s", Format.duration(Duration.ofMillis(-5)));
        assertEquals("2 min 5 s", Format.duration(Duration.ofSeconds(125)));
        assertEquals("3 min", Format.duration(Duration.ofMinutes(3)));
        assertEquals("1 h 3 min", Format.duration(Duration.ofMinutes(63)));
        assertEquals("42 s", Format.seconds(42));
        assertEquals("1 min 40 s", Format.seconds(100));
    }

    @Test
    void sizesUseBinaryUnitsAsTheServicesReadThem() {
        assertEquals("64MiB", Format.bytes(64L << 20));
        assertEquals("1.5GiB", Format.bytes(3L << 29));
        assertEquals("1KiB", Format.bytes(1024));
        assertEquals("512B", Format.bytes(512));
    }

    @Test
    void countsAgreeWithTheirNoun() {
        assertEquals("1 master", Format.count(1, "master"));
        assertEquals("0 replicas", Format.count(0, "replica"));
    }
}
