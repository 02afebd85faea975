-- People who sign in (users) and other programs that call the API (service
-- accounts). `auth_version` is bumped whenever a principal's access changes
-- (disabled, role changed, revoked): tokens carry the version they were
-- issued under and older ones are refused.
CREATE TABLE users (
    id            BIGSERIAL   PRIMARY KEY,
    email         TEXT        NOT NULL UNIQUE,  -- normalised to lower case
    display_name  TEXT        NOT NULL,
    role          TEXT        NOT NULL CHECK (role IN ('viewer', 'analyst', 'admin')),
    password_hash TEXT        NOT NULL,
    disabled      BOOLEAN     NOT NULL DEFAULT FALSE,
    auth_version  BIGINT      NOT NULL DEFAULT 1,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE service_accounts (
    id           BIGSERIAL   PRIMARY KEY,
    name         TEXT        NOT NULL UNIQUE,
    client_id    TEXT        NOT NULL UNIQUE,
    secret_hash  TEXT        NOT NULL,          -- SHA-256 of a 256-bit random secret
    role         TEXT        NOT NULL CHECK (role IN ('viewer', 'analyst', 'admin')),
    disabled     BOOLEAN     NOT NULL DEFAULT FALSE,
    auth_version BIGINT      NOT NULL DEFAULT 1,
    last_used_at TIMESTAMPTZ,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
