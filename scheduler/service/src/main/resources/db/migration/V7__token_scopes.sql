-- What a service token may do: scopes separated by spaces (io.biu.scheduler.client.Scopes). Service tokens
-- issued before have none, so they may do nothing until ./biu up issues their services scoped ones.
ALTER TABLE token ADD COLUMN scopes VARCHAR(1000);
