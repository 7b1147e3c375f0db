-- Where redis-ctl is in the scheduler's event stream, and the leases of the jobs that follow it and heal.
CREATE TABLE stream_cursor (
    name  VARCHAR(64) PRIMARY KEY,
    seq   BIGINT      NOT NULL
);

INSERT INTO stream_cursor (name, seq) VALUES ('events', 0);
INSERT INTO lease (name, holder, expires_at) VALUES ('events', '', TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00');
INSERT INTO lease (name, holder, expires_at) VALUES ('healing', '', TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00');
