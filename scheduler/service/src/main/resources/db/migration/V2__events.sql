-- Events: written in the same transaction as the state change they describe. Sequence numbers come
-- from one counter row, locked until commit, so they have no gaps and commit in order: the relay can
-- publish them in sequence order without ever waiting for a straggler.
CREATE TABLE event (
    seq           BIGINT PRIMARY KEY,
    type          VARCHAR(32)  NOT NULL,
    tenant        VARCHAR(64),
    app_id        BIGINT,
    container_id  BIGINT,
    node          VARCHAR(64),
    payload       VARCHAR(16000) NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    published     BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX event_unpublished ON event (published, seq);

CREATE TABLE event_counter (
    id     INT PRIMARY KEY,
    last_seq  BIGINT NOT NULL
);
INSERT INTO event_counter (id, last_seq) VALUES (1, 0);

-- Jobs only one scheduler process may run at a time (the relay, the agents) hold a lease here.
CREATE TABLE lease (
    name        VARCHAR(64)  PRIMARY KEY,
    holder      VARCHAR(128) NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

ALTER TABLE node ADD COLUMN lease_expires TIMESTAMP WITH TIME ZONE;

INSERT INTO lease (name, holder, expires_at) VALUES ('relay', '', TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00');
INSERT INTO lease (name, holder, expires_at) VALUES ('agents', '', TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00');
