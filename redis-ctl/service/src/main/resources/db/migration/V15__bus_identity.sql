-- The key and certificate a cluster's instances share on their cluster bus and for replication, sealed. Clusters made
-- before have none and keep a bus without TLS.
ALTER TABLE cluster ADD COLUMN bus_identity VARCHAR(4096);
