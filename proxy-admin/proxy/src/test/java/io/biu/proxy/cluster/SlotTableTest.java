package io.biu.proxy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SlotTableTest {

    private static final Address A = new Address("10.0.0.1", 6379);
    private static final Address B = new Address("10.0.0.2", 6379);
    private static final Address C = new Address("10.0.0.3", 6379);
    private static final Address D = new Address("10.0.0.4", 6379);

    private static SlotTable.Range range(int first, int last, Address master) {
        return new SlotTable.Range(first, last, master);
    }

    @Test
    void aNewTableKnowsNoMaster() {
        SlotTable t = new SlotTable();
        assertNull(t.master(0));
        assertNull(t.master(16383));
        assertEquals(List.of(), t.masters());
        assertEquals(16384, t.uncovered());
        assertEquals(0, t.version());
    }

    @Test
    void replaceMapsEverySlotOfEveryRange() {
        SlotTable t = new SlotTable();
        t.replace(List.of(range(0, 5460, A), range(5461, 10922, B), range(10923, 16383, C)));
        assertEquals(A, t.master(0));
        assertEquals(A, t.master(5460));
        assertEquals(B, t.master(5461));
        assertEquals(B, t.master(10922));
        assertEquals(C, t.master(10923));
        assertEquals(C, t.master(16383));
        assertEquals(0, t.uncovered());
        assertEquals(List.of(A, B, C), t.masters());
    }

    @Test
    void mastersAreInTheOrderOfTheirFirstSlots() {
        SlotTable t = new SlotTable();
        t.replace(List.of(range(10923, 16383, C), range(200, 10922, A), range(100, 199, B), range(0, 99, A)));
        assertEquals(List.of(A, B, C), t.masters());
    }

    @Test
    void slotsNoRangeNamesAreUncovered() {
        SlotTable t = new SlotTable();
        t.replace(List.of(range(0, 99, A), range(16383, 16383, B)));
        assertEquals(16384 - 101, t.uncovered());
        assertNull(t.master(100));
        assertEquals(B, t.master(16383));
    }

    @Test
    void replaceForgetsWhatTheLastTableSaid() {
        SlotTable t = new SlotTable();
        t.replace(List.of(range(0, 16383, A)));
        t.replace(List.of(range(0, 8191, B)));
        assertEquals(B, t.master(0));
        assertNull(t.master(8192));
        assertEquals(List.of(B), t.masters());
        assertEquals(8192, t.uncovered());
        t.replace(List.of());
        assertEquals(List.of(), t.masters());
        assertEquals(16384, t.uncovered());
    }

    @Test
    void movedCorrectsOneSlot() {
        SlotTable t = new SlotTable();
        t.replace(List.of(range(0, 8191, A), range(8192, 16383, B)));
        t.moved(3999, B);
        assertEquals(B, t.master(3999));
        assertEquals(A, t.master(3998));
        assertEquals(A, t.master(4000));
        assertEquals(List.of(A, B), t.masters());
    }

    @Test
    void movedToAnUnknownMasterAddsItToTheMasters() {
        SlotTable t = new SlotTable();
        t.replace(List.of(range(0, 16382, A)));
        t.moved(16383, D);
        assertEquals(D, t.master(16383));
        assertEquals(List.of(A, D), t.masters());
        assertEquals(0, t.uncovered());
        t.moved(0, D);
        assertEquals(List.of(A, D), t.masters());
    }

    @Test
    void everyChangeIncrementsTheVersion() {
        SlotTable t = new SlotTable();
        t.replace(List.of(range(0, 16383, A)));
        assertEquals(1, t.version());
        t.moved(1, B);
        assertEquals(2, t.version());
        t.replace(List.of(range(0, 16383, A)));
        assertEquals(3, t.version());
    }

    @Test
    void theMastersListCannotBeChangedByItsReaders() {
        SlotTable t = new SlotTable();
        t.replace(List.of(range(0, 16383, A)));
        assertThrows(UnsupportedOperationException.class, () -> t.masters().add(B));
    }

    @Test
    void rangesMustLieWithinTheSlots() {
        assertEquals(5, range(5, 5, A).first());
        assertThrows(IllegalArgumentException.class, () -> range(-1, 5, A));
        assertThrows(IllegalArgumentException.class, () -> range(0, 16384, A));
        assertThrows(IllegalArgumentException.class, () -> range(6, 5, A));
    }
}
