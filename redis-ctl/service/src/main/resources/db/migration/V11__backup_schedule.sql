-- Backups on a schedule, per cluster: one every every_seconds, the newest keep complete ones kept.
CREATE TABLE backup_schedule (
    cluster_id     BIGINT PRIMARY KEY REFERENCES cluster (id) ON DELETE CASCADE,
    every_seconds  BIGINT  NOT NULL,
    keep           INT     NOT NULL,
    next_at        TIMESTAMP WITH TIME ZONE NOT NULL
);
INSERT INTO lease (name, holder, expires_at) VALUES ('backup-schedule', '', TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00');
