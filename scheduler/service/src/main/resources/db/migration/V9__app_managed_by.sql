-- The platform service that runs an app for its tenant (the name of the service token that made it): the tenant
-- sees such an app but cannot scale it, remove its containers or volumes, or delete it. Apps redis-ctl and
-- proxy-admin made before are theirs.
ALTER TABLE app ADD COLUMN managed_by VARCHAR(100);
UPDATE app SET managed_by = 'redis-ctl' WHERE name LIKE 'redis-%' AND labels LIKE '%"redis-ctl.cluster"%';
UPDATE app SET managed_by = 'admin' WHERE name LIKE 'proxy-%' AND labels LIKE '%"endpoint"%';
