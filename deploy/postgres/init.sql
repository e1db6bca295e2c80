-- Runs once, when the postgres container initialises an empty data volume (as the superuser "temporal").
-- Temporal's own databases (temporal, temporal_visibility) are created by the temporal-schema job instead,
-- so that job can also upgrade them; this file only gives Steward a database and a role of its own.
CREATE ROLE steward WITH LOGIN PASSWORD 'steward';

-- Owning the database makes steward the owner of its public schema too (PostgreSQL 15+), so migrations can create tables.
CREATE DATABASE steward OWNER steward;

-- Only steward (and superusers) may connect to Steward's data.
REVOKE ALL ON DATABASE steward FROM PUBLIC;
