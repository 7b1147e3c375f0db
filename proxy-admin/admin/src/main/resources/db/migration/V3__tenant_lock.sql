-- One row per tenant with a quota, locked while an endpoint of the tenant is counted and recorded, so two
-- concurrent issues cannot both pass the quota's endpoints limit.
CREATE TABLE tenant_lock (
    tenant VARCHAR(64) PRIMARY KEY
);
