package io.biu.kit.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteSizesTest {

    @ParameterizedTest
    @CsvSource({
        "256MiB, 268435456", "256m, 268435456", "1GiB, 1073741824", "1.5GiB, 1610612736", "1.5 gb, 1610612736",
        "4096, 4096", "64k, 65536", "1TiB, 1099511627776", "' 2 MB ', 2097152", "0.5k, 512",
    })
    void readsSizesInBinaryUnits(String text, long bytes) {
        assertEquals(bytes, ByteSizes.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "lots", "-1GiB", "1 parsec", "1e3", "1.GiB", "99999999999TiB", "1.1234567891GiB"})
    void refusesWhatIsNotASize(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ByteSizes.parse(text));
        assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
    }

    @Test
    void refusesLongTextUnreadAndQuotesItBriefly() {
        String digits = "9".repeat(400_000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ByteSizes.parse(digits));
        assertTrue(e.getMessage().contains("(400000 characters)"), e.getMessage());
        assertTrue(e.getMessage().length() < 150, e.getMessage());
        // the longest text still read is a size like any other
        String longest = " ".repeat(ByteSizes.MAX_LENGTH - 6) + "64 MiB";
        assertEquals(64 * ByteSizes.MIB, ByteSizes.parse(longest));
        assertThrows(IllegalArgumentException.class, () -> ByteSizes.parse(" " + longest));
    }

    @ParameterizedTest
    @CsvSource({"268435456, 256 MiB", "1610612736, 1.5 GiB", "1000, 1000 bytes"})
    void formatsSizesForPeople(long bytes, String text) {
        assertEquals(text, ByteSizes.format(bytes));
    }
}
