-- A token may expire: from then on it is refused as a revoked one is. Null: it lasts until revoked.
ALTER TABLE token ADD COLUMN expires_at TIMESTAMP WITH TIME ZONE;
