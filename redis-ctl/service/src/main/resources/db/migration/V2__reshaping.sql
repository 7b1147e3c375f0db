-- Instances join, serve, are drained and removed; a drain task names the instance it drains.
ALTER TABLE instance ADD COLUMN state VARCHAR(16) NOT NULL DEFAULT 'ACTIVE';  -- JOINING, ACTIVE, DRAINING, REMOVABLE
ALTER TABLE task ADD COLUMN subject BIGINT;
