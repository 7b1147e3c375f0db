-- Jobs one redis-ctl process runs at a time (INFO collection) hold a lease here.
CREATE TABLE lease (
    name        VARCHAR(64)  PRIMARY KEY,
    holder      VARCHAR(128) NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

INSERT INTO lease (name, holder, expires_at) VALUES ('stats', '', TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00');
