-- What a tenant may hold: cores, memory and containers the scheduler checks when it reserves, clusters and
-- endpoints that redis-ctl and proxy-admin check when they create them. Null: no limit. No row: no quota.
CREATE TABLE tenant_quota (
    tenant      VARCHAR(64) PRIMARY KEY,
    cores       NUMERIC(12, 6),
    memory      BIGINT,
    containers  INT,
    clusters    INT,
    endpoints   INT,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
