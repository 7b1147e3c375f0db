-- proxy-admin's certificate authority: one row, its key and certificate sealed under the service's key file. It
-- signs the certificates of endpoints that speak TLS; clients trust its certificate.
CREATE TABLE authority (
    id          INT PRIMARY KEY,           -- always 1
    identity    VARCHAR(4096) NOT NULL,    -- certificate and key, PEM, sealed
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
-- An endpoint may speak TLS: its proxies hold a key of their own, and proxy-admin keeps the certificate it last
-- issued for it (public) to renew it when the proxies' addresses change or it nears its end.
ALTER TABLE endpoint ADD COLUMN tls BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE endpoint ADD COLUMN certificate VARCHAR(4096);
