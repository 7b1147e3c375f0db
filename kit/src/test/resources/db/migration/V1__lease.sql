CREATE TABLE lease (
    name       VARCHAR(64) PRIMARY KEY,
    holder     VARCHAR(64) NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);
INSERT INTO lease (name, holder, expires_at) VALUES ('relay', '', TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00');
