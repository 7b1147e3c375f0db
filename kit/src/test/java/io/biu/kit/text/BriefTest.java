package io.biu.kit.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class BriefTest {

    @Test
    void shortTextIsQuotedWhole() {
        String limit = "a".repeat(Brief.MAX);
        assertEquals(limit, Brief.of(limit));
        assertEquals("memory", Brief.of("memory"));
        assertNull(Brief.of(null));
    }

    @Test
    void longTextIsCutToItsStartWithItsLength() {
        String text = "b".repeat(Brief.MAX + 1);
        assertEquals("b".repeat(Brief.MAX * 2 / 3) + "... (65 characters)", Brief.of(text));
        assertEquals("012345... (12 characters)", Brief.of("0123456789ab", 10));
    }
}
