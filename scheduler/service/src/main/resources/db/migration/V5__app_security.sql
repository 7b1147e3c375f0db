-- How an app's processes run beyond what every container gets: its user, a read-only root, capabilities given
-- back. JSON; null for apps made before, which run as their image says.
ALTER TABLE app ADD COLUMN security VARCHAR(1000);
