#!/bin/sh
# Temporal's two databases on the platform's PostgreSQL: create them and bring their
# schemas up to date. Safe to run on every start (what exists is kept).
set -eu
export SQL_PASSWORD="$POSTGRES_PWD"
sql_tool() {
    temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "$DB_PORT" \
        -u "$POSTGRES_USER" "$@"
}
for pair in temporal:temporal temporal_visibility:visibility; do
    database="${pair%%:*}"
    schema="${pair##*:}"
    sql_tool --db "$database" create || echo "database $database already exists"
    sql_tool --db "$database" setup-schema -v 0.0
    sql_tool --db "$database" update-schema -d "/etc/temporal/schema/postgresql/v12/$schema/versioned"
done
echo "Temporal schemas are up to date"
