#!/bin/sh
# Runs once, when the PostgreSQL volume is first initialised: the role the API and the
# workers log in as. It owns nothing and cannot bypass row-level security; the migrations
# (run as the superuser by the migrate service) grant it what it may do.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    -v app_password="$AGENTPAAS_APP_DB_PASSWORD" <<'SQL'
CREATE ROLE agentpaas_app LOGIN PASSWORD :'app_password'
    NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
SQL
