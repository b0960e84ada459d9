#!/bin/sh
# Stand-in for the official postgres image's entrypoint, on Debian's postgresql-15.
# Honours the same contract: POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB, POSTGRES_INITDB_ARGS,
# POSTGRES_HOST_AUTH_METHOD, PGDATA; extra arguments (e.g. `-c fsync=off`) go to the server.
set -eu

bin=/usr/lib/postgresql/15/bin
: "${POSTGRES_USER:=postgres}"
: "${POSTGRES_DB:=${POSTGRES_USER}}"
: "${POSTGRES_HOST_AUTH_METHOD:=scram-sha-256}"
: "${PGDATA:=/var/lib/postgresql/data}"
export PGDATA

if [ "${1:-}" = "postgres" ]; then
    shift
fi

mkdir -p "${PGDATA}" /var/run/postgresql
chown postgres:postgres "${PGDATA}" /var/run/postgresql
chmod 700 "${PGDATA}"

as_postgres() {
    setpriv --reuid=postgres --regid=postgres --init-groups "$@"
}

# Initialise only an empty data directory, so a named volume keeps its data across container restarts.
if [ ! -s "${PGDATA}/PG_VERSION" ]; then
    if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "${POSTGRES_HOST_AUTH_METHOD}" != "trust" ]; then
        echo "postgres stand-in: POSTGRES_PASSWORD is not set (or set POSTGRES_HOST_AUTH_METHOD=trust)" >&2
        exit 1
    fi
    pwfile="$(mktemp)"
    printf '%s' "${POSTGRES_PASSWORD:-}" > "${pwfile}"
    chown postgres "${pwfile}"
    # shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a list of options, as in the official image.
    as_postgres "${bin}/initdb" --username="${POSTGRES_USER}" --pwfile="${pwfile}" \
        --encoding=UTF8 --locale=C.UTF-8 --auth-local=trust --auth-host="${POSTGRES_HOST_AUTH_METHOD}" \
        ${POSTGRES_INITDB_ARGS:-} >/dev/null
    rm -f "${pwfile}"
    printf "host all all all %s\n" "${POSTGRES_HOST_AUTH_METHOD}" >> "${PGDATA}/pg_hba.conf"
    printf "listen_addresses = '*'\n" >> "${PGDATA}/postgresql.conf"
    if [ "${POSTGRES_DB}" != "postgres" ]; then
        # Single-user mode needs no server and no password, so nothing listens before set-up is finished.
        echo "CREATE DATABASE \"${POSTGRES_DB}\";" | as_postgres "${bin}/postgres" --single -D "${PGDATA}" postgres >/dev/null
    fi
    echo "postgres stand-in: initialised ${PGDATA} for user ${POSTGRES_USER}"
fi

# `docker stop` sends SIGTERM, which PostgreSQL treats as "wait for every client to leave"; pass it on as
# SIGINT (fast shutdown), as the official image does with STOPSIGNAL, which `docker import` cannot set.
as_postgres "${bin}/postgres" -D "${PGDATA}" "$@" &
server=$!
# Signal the postmaster itself: a background job of a non-interactive shell ignores SIGINT.
trap 'kill -INT "$(head -n1 "${PGDATA}/postmaster.pid" 2>/dev/null || echo "${server}")" 2>/dev/null' TERM INT
wait "${server}" || true
trap - TERM INT
wait "${server}"
