package io.biu.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.scheduler.client.NodeState;
import io.biu.scheduler.client.Schema;
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

    @Test
    void aContainerEventIsOfItsContainersAppAndPodANodeEventOfItsNodesPod() {
        Schema.Event started = Replies.containerEvent(1, "container.started", "redis-shop-1", "redis-shop", null);
        Schema.Event down = Replies.nodeEvent(2, "node.down", "node2", "edge", NodeState.DOWN);
        assertTrue(new EventFilter("redis-shop", "lab", "container.*").matches(started));
        assertFalse(new EventFilter("redis-shop", "edge", null).matches(started));
        assertTrue(new EventFilter(null, "edge", "node.down").matches(down));
        assertFalse(new EventFilter(null, "lab", null).matches(down));
        assertFalse(new EventFilter("redis-shop", null, null).matches(down));
    }
}
