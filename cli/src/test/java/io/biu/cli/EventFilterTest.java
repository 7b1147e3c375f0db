package io.biu.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EventFilterTest {

    @Test
    void noCriteriaMatchEverything() {
        assertTrue(new EventFilter(null, null, null).matches("node.down", null, "lab"));
    }

    @Test
    void everyCriterionMustMatch() {
        EventFilter f = new EventFilter("redis-shop", "lab", "container.ready");
        assertTrue(f.matches("container.ready", "redis-shop", "lab"));
        assertFalse(f.matches("container.ready", "redis-cart", "lab"));
        assertFalse(f.matches("container.ready", "redis-shop", "other"));
        assertFalse(f.matches("container.started", "redis-shop", "lab"));
    }

    @Test
    void aTypeEndingInAStarOrDotIsAPrefix() {
        assertTrue(new EventFilter(null, null, "container.*").matches("container.died", "a", "p"));
        assertTrue(new EventFilter(null, null, "node.").matches("node.cordoned", null, "p"));
        assertFalse(new EventFilter(null, null, "node.*").matches("container.died", "a", "p"));
    }
}
