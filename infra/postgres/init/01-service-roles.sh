#!/bin/sh
# Runs once, when the PostgreSQL volume is first initialised (docker-entrypoint-initdb.d).
# One login role per service, owning its own schema and nothing else: auth can't read comments'
# tables and the other way round, which is the design's "services never read each other's schema".
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
CREATE ROLE parley_auth LOGIN PASSWORD '${AUTH_DB_PASSWORD}';
CREATE ROLE parley_comments LOGIN PASSWORD '${COMMENTS_DB_PASSWORD}';
CREATE SCHEMA IF NOT EXISTS auth AUTHORIZATION parley_auth;
CREATE SCHEMA IF NOT EXISTS comments AUTHORIZATION parley_comments;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
REVOKE ALL ON DATABASE "$POSTGRES_DB" FROM PUBLIC;
GRANT CONNECT ON DATABASE "$POSTGRES_DB" TO parley_auth, parley_comments;
SQL
