package io.biu.redisctl.backup;

import io.biu.redisctl.client.BackupState;
import java.util.ArrayList;
import java.util.List;

/**
 * Which backups of a cluster a schedule's retention removes: complete ones beyond the newest {@code keep}, and failed
 * ones older than the oldest complete one kept. A backup being taken is never removed, nor is any backup while fewer
 * than {@code keep} complete ones exist past it.
 */
final class Retention {

    private Retention() {
    }

    /** From {@code newestFirst} (one cluster's backups), those to remove. */
    static List<Backup> expired(List<Backup> newestFirst, int keep) {
        List<Backup> expired = new ArrayList<>();
        int complete = 0;
        for (Backup b : newestFirst) {
            if (b.state() == BackupState.DONE) {
                if (++complete > keep) {
                    expired.add(b);
                }
            } else if (b.state() == BackupState.FAILED && complete >= keep) {
                expired.add(b);
            }
        }
        return expired;
    }
}
