-- One row per tenant with a quota, locked while a cluster of the tenant is counted and recorded, so two concurrent
-- creates cannot both pass the quota's clusters limit.
CREATE TABLE tenant_lock (
    tenant VARCHAR(64) PRIMARY KEY
);
