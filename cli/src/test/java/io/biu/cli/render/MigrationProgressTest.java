package io.biu.cli.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MigrationProgressTest {

    @Test
    void readsTheBalancersProgressText() {
        MigrationProgress m = MigrationProgress.parse("moved 3 of 8 slots, 1200 of about 3000 keys (500 keys/s), "
                + "about 4 s left").orElseThrow();
        assertEquals(new MigrationProgress(3, 8, 1200, 3000, 500, 4), m);
        assertEquals(0.4, m.fraction(), 1e-9);
    }

    @Test
    void otherTextsAreNoMigration() {
        assertTrue(MigrationProgress.parse("moving 8192 slots with 0 keys, about 1 s").isEmpty());
        assertTrue(MigrationProgress.parse("2 of 2 instances agree on the slots").isEmpty());
        assertTrue(MigrationProgress.parse(null).isEmpty());
    }

    @Test
    void fractionCountsSlotsWhenThereAreNoKeysAndNeverPassesOne() {
        assertEquals(0.5, new MigrationProgress(4, 8, 0, 0, 0, 0).fraction(), 1e-9);
        assertEquals(1.0, new MigrationProgress(8, 8, 3100, 3000, 10, 0).fraction(), 1e-9);
        assertEquals(1.0, new MigrationProgress(0, 0, 0, 0, 0, 0).fraction(), 1e-9);
        assertThrows(IllegalArgumentException.class, () -> new MigrationProgress(-1, 8, 0, 0, 0, 0));
    }
}
