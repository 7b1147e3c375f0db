package io.biu.redismonitor.policy;

import static io.biu.redismonitor.policy.Fixtures.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.redismonitor.policy.Context.Capacity;
import io.biu.redismonitor.policy.Context.Kind;
import io.biu.redismonitor.policy.Context.LastAction;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ContextTest {

    @Test
    void aPodWithoutRoomMustSayWhy() {
        assertEquals("no node has 2 GiB free", Capacity.none("no node has 2 GiB free").reason());
        assertThrows(IllegalArgumentException.class, () -> Capacity.of(0));
        assertThrows(IllegalArgumentException.class, () -> Capacity.none(" "));
        assertThrows(IllegalArgumentException.class, () -> Capacity.of(-1));
        assertThrows(IllegalArgumentException.class, () -> new Capacity(2, "full"));
    }

    @Test
    void theLastActionCannotBeInTheFuture() {
        assertThrows(IllegalArgumentException.class,
                () -> new Context(T0, 3, LastAction.scaleOut(T0.plusSeconds(1)), false, Capacity.of(1)));
        assertThrows(IllegalArgumentException.class, () -> new Context(T0, -1, null, false, Capacity.of(1)));
    }

    @Test
    void withinTellsACooldownOfTheGivenKindOnly() {
        Context context = new Context(T0.plusSeconds(299), 3, LastAction.scaleOut(T0), false, Capacity.of(1));
        assertTrue(context.within(Kind.SCALE_OUT, Duration.ofMinutes(5)));
        assertFalse(context.within(Kind.SCALE_IN, Duration.ofMinutes(5)));
        assertFalse(context.within(Kind.SCALE_OUT, Duration.ofSeconds(299)));
        assertFalse(new Context(T0, 3, null, false, Capacity.of(1)).within(Kind.SCALE_OUT, Duration.ofHours(1)));
    }
}
