-- Passwords are kept sealed (AES-256-GCM under the service's key file, never in the database): room for the
-- marker, nonce and tag. Rows written before stay readable and are sealed when next written.
ALTER TABLE cluster ALTER COLUMN password SET DATA TYPE VARCHAR(256);
ALTER TABLE data_import ALTER COLUMN source_password SET DATA TYPE VARCHAR(1024);
