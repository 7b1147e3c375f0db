package io.biu.proxy.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReplyWindowTest {

    private static final long BUDGET = 4L << 20;

    @Test
    void aNewClientStartsWithAFewCommandsInFlight() {
        assertEquals(ReplyWindow.MIN, new ReplyWindow(BUDGET, 4096).limit());
    }

    @Test
    void smallRepliesOpenTheWindowToTheMaximumWithinAFewRoundTrips() {
        ReplyWindow w = new ReplyWindow(BUDGET, 4096);
        int roundTrips = 0;
        while (w.limit() < 4096) {
            int inFlight = w.limit();
            for (int i = 0; i < inFlight; i++) {
                w.observed(5); // "+OK\r\n"
            }
            roundTrips++;
            assertTrue(roundTrips <= 8, "still " + w.limit() + " after " + roundTrips + " round trips");
        }
        assertEquals(4096, w.limit());
    }

    @Test
    void oneLargeReplyClosesTheWindowAtOnce() {
        ReplyWindow w = new ReplyWindow(BUDGET, 4096);
        for (int i = 0; i < 1000; i++) {
            w.observed(5);
        }
        assertEquals(4096, w.limit());
        w.observed(1 << 20);
        assertEquals(ReplyWindow.MIN, w.limit(), "4 MiB of budget holds four replies of 1 MiB");
        w.observed(256 << 10);
        assertEquals((1 << 20) - ((1 << 20) - (256 << 10)) / 8, w.estimate(),
                "a smaller reply pulls the estimate an eighth of the way down");
    }

    @Test
    void repliesOfMiddlingSizeKeepTheirBytesWithinTheBudget() {
        ReplyWindow w = new ReplyWindow(BUDGET, 4096);
        for (int i = 0; i < 100; i++) {
            w.observed(100_000);
        }
        assertEquals(BUDGET / 100_000, w.limit());
    }

    @Test
    void theWindowNeverExceedsTheMaximumAndBothLimitsMustBePositive() {
        ReplyWindow small = new ReplyWindow(BUDGET, 2);
        assertEquals(2, small.limit());
        small.observed(Integer.MAX_VALUE);
        assertEquals(2, small.limit());
        assertThrows(IllegalArgumentException.class, () -> new ReplyWindow(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new ReplyWindow(BUDGET, 0));
    }
}
