package io.biu.redisctl.plan;

import static io.biu.redisctl.plan.Fixtures.view;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What becomes of the slots a crash left open: moves that can go on are finished, the rest closed. */
class OpenSlotsTest {

    @Test
    void aSlotStillOnItsSourceFinishesMovingToItsTarget() {
        // a halted after setting slot 100 migrating to b, which imports it
        Topology seenByA = view("a 0-8191 [100->-b]", "b 8192-16383");
        assertEquals(List.of(new OpenSlots.Fix.Finish(100, "a", "b")), OpenSlots.of(seenByA, Set.of("a", "b")));
        Topology seenByB = view("b 8192-16383 [100-<-a]", "a 0-8191");
        assertEquals(List.of(new OpenSlots.Fix.Finish(100, "a", "b")), OpenSlots.of(seenByB, Set.of("a", "b")));
    }

    @Test
    void aSlotTheTargetAlreadyOwnsIsClosedWhereItIsOpen() {
        // b took slot 100 before the halt; a never learnt it closed
        Topology seenByA = view("a 0-99 101-8191 [100->-b]", "b 100 8192-16383");
        assertEquals(List.of(new OpenSlots.Fix.SetStable(100, OpenSlots.Reason.SOURCE_NOT_OWNER)),
                OpenSlots.of(seenByA, Set.of("a", "b")));
    }

    @Test
    void aMoveWhoseOtherEndIsGoneIsClosed() {
        Topology seenByA = view("a 0-8191 [100->-b]", "b! 8192-16383");
        assertEquals(List.of(new OpenSlots.Fix.SetStable(100, OpenSlots.Reason.OTHER_END_GONE)),
                OpenSlots.of(seenByA, Set.of("a")));
        Topology seenByB = view("b 8192-16383 [7-<-a]", "a! 0-8191");
        assertEquals(List.of(new OpenSlots.Fix.SetStable(7, OpenSlots.Reason.OTHER_END_GONE)),
                OpenSlots.of(seenByB, Set.of("b")));
    }

    @Test
    void migratingSlotsComeFirstThenImportingOnesEachInSlotOrder() {
        Topology seenByA = view("a 0-8191 [9->-b] [3->-b] [8200-<-b]", "b 8192-16383");
        assertEquals(List.of(3, 9, 8200), OpenSlots.of(seenByA, Set.of("a", "b")).stream().map(OpenSlots.Fix::slot)
                .toList());
    }

    @Test
    void aMasterWithNothingOpenNeedsNoFix() {
        assertEquals(List.of(), OpenSlots.of(view("a 0-8191", "b 8192-16383"), Set.of("a", "b")));
    }
}
