package io.biu.scheduler.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class PooledCpuTest {

    @Test
    void publicNodesScheduleTheSumOfRequestsWithoutPinning() {
        PooledCpu node = PooledCpu.idle(ShareBase.HUNDREDTHS, 4);
        CpuRequest request = CpuRequest.of(new BigDecimal("1.5"), ShareBase.HUNDREDTHS);
        assertEquals(2, node.capacity(request));
        CpuPlan plan = node.plan(request).orElseThrow();
        assertFalse(plan.bound());
        PooledCpu used = node.reserve(plan).reserve(plan);
        assertEquals(100, used.freePieces());
        assertEquals(0, used.capacity(request));
        assertEquals(node, used.release(plan).release(plan));
    }

    @Test
    void refusesPinnedPlansAndOverflows() {
        PooledCpu node = PooledCpu.idle(ShareBase.TENTHS, 1);
        assertThrows(IllegalArgumentException.class, () -> node.reserve(new CpuPlan(5, List.of(), 0, 5)));
        assertThrows(IllegalStateException.class, () -> node.reserve(CpuPlan.unbound(11)));
        assertThrows(IllegalStateException.class, () -> node.release(CpuPlan.unbound(1)));
    }
}
