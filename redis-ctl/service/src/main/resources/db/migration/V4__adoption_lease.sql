INSERT INTO lease (name, holder, expires_at) VALUES ('adoption', '', TIMESTAMP WITH TIME ZONE '1970-01-01 00:00:00+00');
