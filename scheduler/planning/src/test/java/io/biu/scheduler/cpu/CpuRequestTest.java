package io.biu.scheduler.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.scheduler.error.SchedulerError;
import io.biu.scheduler.error.SchedulerException;
import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CpuRequestTest {

    @ParameterizedTest
    @CsvSource({
        "0.5,   10,   5,    0, 5",
        "1.5,   10,   15,   1, 5",
        "2,     10,   20,   2, 0",
        "0.1,   10,   1,    0, 1",
        "0.15,  100,  15,   0, 15",
        "3.07,  100,  307,  3, 7",
        "0.001, 1000, 1,    0, 1",
        "1.5,   1000, 1500, 1, 500",
        "24,    1000, 24000, 24, 0",
    })
    void splitsARequestIntoExclusiveCoresAndAFragment(String cores, int base, int pieces, int full, int fragment) {
        CpuRequest request = CpuRequest.of(new BigDecimal(cores), ShareBase.of(base));
        assertEquals(pieces, request.pieces());
        assertEquals(full, request.full());
        assertEquals(fragment, request.fragment());
        assertEquals(new BigDecimal(cores).stripTrailingZeros(), request.cores());
    }

    @ParameterizedTest
    @CsvSource({
        "0,       10,   greater than 0",
        "-1,      10,   greater than 0",
        "0.15,    10,   finer than the pod's granularity of 0.1 cores",
        "0.005,   100,  finer than the pod's granularity of 0.01 cores",
        "0.0005,  1000, finer than the pod's granularity of 0.001 cores",
        "1024.1,  10,   at most 1024 cores",
        "1e9,     1000, at most 1024 cores",
    })
    void refusesRequestsThatCannotBePieces(String cores, int base, String message) {
        SchedulerException e = assertThrows(SchedulerException.class,
                () -> CpuRequest.of(new BigDecimal(cores), ShareBase.of(base)));
        assertEquals(SchedulerError.INVALID_CPU, e.error());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void refusesAMissingRequest() {
        assertEquals(SchedulerError.INVALID_CPU,
                assertThrows(SchedulerException.class, () -> CpuRequest.of(null, ShareBase.TENTHS)).error());
    }

    @Test
    void refusesShareBasesOtherThanTheThreeSupported() {
        SchedulerException e = assertThrows(SchedulerException.class, () -> ShareBase.of(64));
        assertEquals(SchedulerError.INVALID_SHARE_BASE, e.error());
        assertTrue(e.getMessage().contains("use 10, 100 or 1000"), e.getMessage());
    }
}
