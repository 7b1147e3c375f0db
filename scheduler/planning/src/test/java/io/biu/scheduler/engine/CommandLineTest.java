package io.biu.scheduler.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    private static final Map<String, String> ENV = Map.of("BIU_PORT_0", "31000", "BIU_NODE_ADDRESS", "10.0.0.7",
            "EMPTY", "");

    @Test
    void referencesToTheEnvironmentAreReplaced() {
        assertEquals(List.of("redis-server", "--port", "31000", "--cluster-announce-ip", "10.0.0.7"),
                CommandLine.expand(List.of("redis-server", "--port", "$(BIU_PORT_0)", "--cluster-announce-ip",
                        "$(BIU_NODE_ADDRESS)"), ENV));
        assertEquals("http://10.0.0.7:31000/", CommandLine.expand("http://$(BIU_NODE_ADDRESS):$(BIU_PORT_0)/", ENV));
        assertEquals("[]", CommandLine.expand("[$(EMPTY)]", ENV));
    }

    @Test
    void unknownOrUnfinishedReferencesAndEscapesStayLiteral() {
        assertEquals("$(NOPE)", CommandLine.expand("$(NOPE)", ENV));
        assertEquals("$(BIU_PORT_0", CommandLine.expand("$(BIU_PORT_0", ENV));
        assertEquals("$(BIU_PORT_0)", CommandLine.expand("$$(BIU_PORT_0)", ENV));
        assertEquals("cost: $5 $", CommandLine.expand("cost: $5 $", ENV));
        assertEquals("$HOME", CommandLine.expand("$HOME", ENV));
    }
}
