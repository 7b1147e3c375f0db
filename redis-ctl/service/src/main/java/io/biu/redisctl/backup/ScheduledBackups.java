package io.biu.redisctl.backup;

import io.biu.kit.lease.Leases;
import io.biu.redisctl.api.CtlException;
import io.biu.redisctl.store.Cluster;
import io.biu.redisctl.store.ClusterRepository;
import io.micronaut.context.annotation.Requires;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the backup schedules: every round, the process holding the {@code backup-schedule} lease starts the backups
 * that are due (a cluster busy with another task gets its backup at a later round) and applies each schedule's
 * retention.
 */
@Singleton
@Requires(property = "biu.redis-ctl.background", notEquals = "false")
final class ScheduledBackups {

    private static final Logger LOG = LoggerFactory.getLogger(ScheduledBackups.class);
    private static final Duration ROUND = Duration.ofSeconds(30);

    private final Leases leases;
    private final ScheduleRepository schedules;
    private final ClusterRepository clusters;
    private final BackupRepository backups;
    private final BackupService service;
    private final Clock clock;

    ScheduledBackups(Leases leases, ScheduleRepository schedules, ClusterRepository clusters,
            BackupRepository backups, BackupService service, Clock clock) {
        this.leases = leases;
        this.schedules = schedules;
        this.clusters = clusters;
        this.backups = backups;
        this.service = service;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = "30s", initialDelay = "10s")
    void round() {
        try {
            if (!leases.hold("backup-schedule", ROUND.multipliedBy(3))) {
                return;
            }
            Instant now = clock.instant();
            for (Schedule due : schedules.findByNextAtLessThanEquals(now)) {
                start(due, now);
            }
            for (Schedule s : schedules.findAll()) {
                retain(s);
            }
        } catch (RuntimeException e) {
            LOG.warn("backup schedule round failed: {}", e.toString());
        }
    }

    private void start(Schedule due, Instant now) {
        Cluster cluster = clusters.findById(due.clusterId()).orElse(null);
        if (cluster == null) {
            return;
        }
        try {
            Backup b = service.startScheduled(cluster);
            schedules.update(due.next(now));
            LOG.info("cluster {}/{}: scheduled backup {} started", cluster.tenant(), cluster.name(), b.id());
        } catch (CtlException busyOrNotReady) {
            LOG.info("cluster {}/{}: scheduled backup waits: {}", cluster.tenant(), cluster.name(),
                    busyOrNotReady.getMessage());
        }
    }

    private void retain(Schedule s) {
        for (Backup old : Retention.expired(backups.findByClusterIdOrderByIdDesc(s.clusterId()), s.keep())) {
            try {
                service.remove(old);
                LOG.info("backup {} of cluster {}/{} removed: the schedule keeps {}", old.id(), old.tenant(),
                        old.clusterName(), s.keep());
            } catch (RuntimeException e) {
                LOG.warn("backup {} of cluster {}/{} is kept for now: {}", old.id(), old.tenant(), old.clusterName(),
                        e.getMessage());
            }
        }
    }
}
