package io.biu.redisctl.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.biu.redisctl.client.BackupState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a schedule's retention removes, and how a schedule's interval is written. */
class RetentionTest {

    private static Backup backup(long id, BackupState state) {
        return new Backup(id, 1, "acme", "shop", state, id, Instant.EPOCH, null, 0, 0, "[]", null);
    }

    private static List<Long> ids(List<Backup> backups) {
        return backups.stream().map(Backup::id).toList();
    }

    @Test
    void completeBackupsBeyondTheNewestKeptAreRemoved() {
        List<Backup> newestFirst = List.of(backup(5, BackupState.DONE), backup(4, BackupState.DONE),
                backup(3, BackupState.DONE), backup(2, BackupState.DONE), backup(1, BackupState.DONE));
        assertEquals(List.of(3L, 2L, 1L), ids(Retention.expired(newestFirst, 2)));
        assertEquals(List.of(), ids(Retention.expired(newestFirst, 5)));
    }

    @Test
    void aBackupBeingTakenIsNeverRemovedAndFailedOnesGoOnlyOnceEnoughAreKept() {
        List<Backup> newestFirst = List.of(backup(6, BackupState.RUNNING), backup(5, BackupState.FAILED),
                backup(4, BackupState.DONE), backup(3, BackupState.FAILED), backup(2, BackupState.DONE),
                backup(1, BackupState.DONE), backup(0, BackupState.FAILED));
        // failures among the kept backups stay (they tell what went wrong lately); older ones go
        assertEquals(List.of(1L, 0L), ids(Retention.expired(newestFirst, 2)));
        assertEquals(List.of(0L), ids(Retention.expired(newestFirst, 3)));
        assertEquals(List.of(), ids(Retention.expired(newestFirst, 4)));
    }

    @Test
    void intervalsAreMinutesHoursOrDays() {
        assertEquals(Duration.ofMinutes(30), Schedule.parse("30m"));
        assertEquals(Duration.ofHours(6), Schedule.parse(" 6H "));
        assertEquals(Duration.ofDays(1), Schedule.parse("1d"));
        assertNull(Schedule.parse("6 hours"));
        assertNull(Schedule.parse("PT6H"));
        assertEquals("6h", new Schedule(1, 6 * 3600, 3, Instant.EPOCH).every());
        assertEquals("2d", new Schedule(1, 2 * 86_400, 3, Instant.EPOCH).every());
        assertEquals("90m", new Schedule(1, 90 * 60, 3, Instant.EPOCH).every());
    }
}
