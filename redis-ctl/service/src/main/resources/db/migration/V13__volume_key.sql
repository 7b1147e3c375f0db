-- The key of the data volume an instance's container mounts: its shard position's (s<shard>-<position>), which
-- outlives the container. Null where the cluster keeps no data, or for instances recorded before volumes had keys.
ALTER TABLE instance ADD COLUMN volume_key VARCHAR(40);
