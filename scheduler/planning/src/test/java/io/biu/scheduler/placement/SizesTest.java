package io.biu.scheduler.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.biu.scheduler.error.SchedulerError;
import io.biu.scheduler.error.SchedulerException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SizesTest {

    @ParameterizedTest
    @CsvSource({
        "256MiB, 268435456", "256m, 268435456", "1GiB, 1073741824", "1.5GiB, 1610612736", "1.5 gb, 1610612736",
        "4096, 4096", "64k, 65536", "1TiB, 1099511627776",
    })
    void parsesSizesInBinaryUnits(String text, long bytes) {
        assertEquals(bytes, Sizes.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "lots", "-1GiB", "1 parsec", "1e3", "99999999999TiB"})
    void refusesWhatIsNotASize(String text) {
        assertEquals(SchedulerError.INVALID_MEMORY, assertThrows(SchedulerException.class, () -> Sizes.parse(text)).error());
    }

    @ParameterizedTest
    @CsvSource({"268435456, 256 MiB", "1610612736, 1.5 GiB", "1000, 1000 bytes"})
    void formatsSizesForPeople(long bytes, String text) {
        assertEquals(text, Sizes.format(bytes));
    }
}
