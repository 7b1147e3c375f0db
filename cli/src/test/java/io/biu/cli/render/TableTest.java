package io.biu.cli.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void padsEveryColumnButTheLastToItsWidestCell() {
        String table = Table.of("NAME", "ID", "STATE").row("shop", 1, "ready").row("orders-eu", 12, null).render();
        assertEquals("""
                NAME       ID  STATE
                shop       1   ready
                orders-eu  12  -
                """, table);
    }

    @Test
    void missingCellsAreBlankAndTooManyAreRefused() {
        assertEquals("A  B\nx\n", Table.of("A", "B").row("x").render());
        assertThrows(IllegalArgumentException.class, () -> Table.of("A").row("x", "y"));
    }

    @Test
    void aTableWithoutRowsIsEmpty() {
        assertTrue(Table.of("A").isEmpty());
    }
}
