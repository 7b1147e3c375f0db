package io.biu.redismonitor.scaling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.redismonitor.api.MonitorError;
import io.biu.redismonitor.api.MonitorException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void parsesTheShortForms() {
        assertEquals(Duration.ofMillis(500), Durations.parse("sustain", "500ms"));
        assertEquals(Duration.ofSeconds(90), Durations.parse("sustain", "90s"));
        assertEquals(Duration.ofMinutes(30), Durations.parse("sustain", "30m"));
        assertEquals(Duration.ofHours(2), Durations.parse("sustain", "2h"));
        assertEquals(Duration.ZERO, Durations.parse("sustain", "0s"));
    }

    @Test
    void parsesIso8601() {
        assertEquals(Duration.ofMinutes(30), Durations.parse("idleWindow", "PT30M"));
        assertEquals(Duration.ofSeconds(90), Durations.parse("idleWindow", "PT1M30S"));
    }

    @Test
    void ignoresSurroundingWhitespace() {
        assertEquals(Duration.ofMinutes(30), Durations.parse("idleWindow", " 30m "));
        assertEquals(Duration.ofHours(2), Durations.parse("idleWindow", "\t2h\n"));
        assertEquals(Duration.ofMinutes(30), Durations.parse("idleWindow", "  PT30M "));
    }

    @Test
    void refusesTextThatIsNotADurationNamingTheFieldAndAnExample() {
        for (String text : List.of("soon", "-5s", "5 minutes", "", "30", "5d")) {
            MonitorException e = assertThrows(MonitorException.class, () -> Durations.parse("cooldownAfterIn", text),
                    "'" + text + "'");
            assertEquals(MonitorError.INVALID, e.error());
            assertTrue(e.getMessage().contains("cooldownAfterIn"), e.getMessage());
            assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
            assertTrue(e.getMessage().contains("90s"), e.getMessage());
        }
    }

    @Test
    void formatsTheShortestExactForm() {
        assertEquals("2h", Durations.format(Duration.ofHours(2)));
        assertEquals("30m", Durations.format(Duration.ofMinutes(30)));
        assertEquals("90s", Durations.format(Duration.ofSeconds(90)));
        assertEquals("2m", Durations.format(Duration.ofSeconds(120)));
        assertEquals("1h", Durations.format(Duration.ofMinutes(60)));
        assertEquals("90m", Durations.format(Duration.ofMinutes(90)));
        assertEquals("1500ms", Durations.format(Duration.ofMillis(1500)));
        assertEquals("0s", Durations.format(Duration.ZERO));
    }

    @Test
    void formatOfParseKeepsCanonicalTextAndShortensTheRest() {
        for (String canonical : List.of("500ms", "1500ms", "90s", "30m", "90m", "2h", "0s")) {
            assertEquals(canonical, Durations.format(Durations.parse("sustain", canonical)));
        }
        assertEquals("2m", Durations.format(Durations.parse("sustain", "120s")));
        assertEquals("1s", Durations.format(Durations.parse("sustain", "1000ms")));
        assertEquals("30m", Durations.format(Durations.parse("sustain", "PT30M")));
        assertEquals("0s", Durations.format(Durations.parse("sustain", "0h")));
    }
}
