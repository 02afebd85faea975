-- Least privilege on PostgreSQL: the server connects as a role that may
-- read and write the application's tables but may only INSERT into (and
-- read) the audit log. Run as the database owner, after `tessera migrate`
-- (run with the owner's URL: the app role has no right to create tables),
-- and again after each upgrade that adds tables. Replace tessera_app and
-- the password with your own.
--
--   psql "$OWNER_URL" -f server/sql/postgres-least-privilege.sql
--
-- Then serve with TESSERA_DATABASE_URL=postgres://tessera_app:...@host/db,
-- and run `tessera migrate` and `tessera audit purge` with the owner's
-- URL (`--database-url`), never the app role's.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tessera_app') THEN
        CREATE ROLE tessera_app LOGIN PASSWORD 'change-me';
    END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO tessera_app;
-- Every table: read and write (accounts, sessions, the warehouse, …).
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO tessera_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO tessera_app;
-- The audit log: append and read only. The chain's head row is updated by
-- every append, so audit_head keeps SELECT and UPDATE (no INSERT/DELETE).
REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM tessera_app;
REVOKE INSERT, DELETE, TRUNCATE ON audit_head FROM tessera_app;
-- Migrations' bookkeeping: read only (the server checks it is up to date).
REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON _sqlx_migrations FROM tessera_app;
