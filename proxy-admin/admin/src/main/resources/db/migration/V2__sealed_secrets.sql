-- proxy-admin's own password on its proxies is kept sealed (AES-256-GCM under the service's key file, never in
-- the database): room for the marker, nonce and tag. Rows written before stay readable and are sealed when next
-- written.
ALTER TABLE endpoint ALTER COLUMN admin_secret SET DATA TYPE VARCHAR(256);
