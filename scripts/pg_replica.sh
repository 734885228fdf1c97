#!/bin/sh
# A local PostgreSQL streaming replica of the local server, made with Debian's tools (docs/scaling.md).
#
#   scripts/pg_replica.sh create   # cluster "replica" on port 5433, streaming from "main" (5432)
#   scripts/pg_replica.sh status   # clusters, the primary's WAL senders, the replica's recovery state
#   scripts/pg_replica.sh drop     # stop and remove the replica cluster
#
# Then: DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:5433/<database of DATABASE_URL>
# Settings (environment): PG_VERSION (default: the primary's), PRIMARY_CLUSTER (main),
# REPLICA_CLUSTER (replica), REPLICA_PORT (5433). Run as root (or the postgres user with sudo rights for
# pg_createcluster). For development and tests only: replication is trusted from 127.0.0.1 (no password);
# a production replica uses a replication role with a password or a certificate, on its own host.
set -eu

PRIMARY=${PRIMARY_CLUSTER:-main}
NAME=${REPLICA_CLUSTER:-replica}
PORT=${REPLICA_PORT:-5433}
VERSION=${PG_VERSION:-$(pg_lsclusters -h | awk -v c="$PRIMARY" '$2 == c { print $1; exit }')}
if [ -z "$VERSION" ]; then
    echo "pg_replica: no PostgreSQL cluster named '$PRIMARY' (pg_lsclusters)" >&2
    exit 2
fi
PRIMARY_PORT=$(pg_lsclusters -h | awk -v v="$VERSION" -v c="$PRIMARY" '$1 == v && $2 == c { print $3 }')
HBA=/etc/postgresql/$VERSION/$PRIMARY/pg_hba.conf
PRIMARY_URL="postgres://postgres@127.0.0.1:$PRIMARY_PORT/postgres"
REPLICA_URL="postgres://postgres@127.0.0.1:$PORT/postgres"

as_postgres() {
    if [ "$(id -un)" = postgres ]; then "$@"; else su postgres -s /bin/sh -c "$(printf '%s ' "$@")"; fi
}

exists() {
    pg_lsclusters -h | awk -v v="$VERSION" -v c="$NAME" '$1 == v && $2 == c { found = 1 } END { exit !found }'
}

create() {
    if exists; then
        echo "pg_replica: cluster $VERSION/$NAME exists already (scripts/pg_replica.sh drop to remake it)"
        status
        return 0
    fi
    level=$(psql "$PRIMARY_URL" -Atc "show wal_level")
    senders=$(psql "$PRIMARY_URL" -Atc "show max_wal_senders")
    if [ "$level" = minimal ] || [ "$senders" -lt 1 ]; then
        echo "pg_replica: the primary needs wal_level = replica and max_wal_senders > 0 (has $level, $senders)" >&2
        exit 2
    fi
    # The primary must accept replication connections from 127.0.0.1 ("all" does not cover them).
    if ! grep -Eq '^[[:space:]]*host[[:space:]]+replication[[:space:]]+(all|postgres)[[:space:]]+127\.0\.0\.1/32' "$HBA"; then
        echo "host replication all 127.0.0.1/32 trust  # scripts/pg_replica.sh" >>"$HBA"
        psql "$PRIMARY_URL" -Atc "select pg_reload_conf()" >/dev/null
        echo "pg_replica: allowed replication from 127.0.0.1 in $HBA"
    fi
    pg_createcluster "$VERSION" "$NAME" -p "$PORT" >/dev/null
    data=$(pg_lsclusters -h | awk -v v="$VERSION" -v c="$NAME" '$1 == v && $2 == c { print $6 }')
    # Replace the new cluster's empty data directory by a copy of the primary's; -R writes
    # standby.signal and primary_conninfo, -X stream copies the WAL written meanwhile.
    rm -rf "${data:?}"/*
    as_postgres pg_basebackup -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$data" -R -X stream --checkpoint=fast
    # The same clients as the primary's (Debian's new clusters ask for passwords on 127.0.0.1).
    cp "$HBA" "/etc/postgresql/$VERSION/$NAME/pg_hba.conf"
    pg_ctlcluster "$VERSION" "$NAME" start
    tries=0
    until pg_isready -q -h 127.0.0.1 -p "$PORT"; do
        tries=$((tries + 1))
        if [ "$tries" -gt 30 ]; then
            echo "pg_replica: the replica did not start; see /var/log/postgresql/postgresql-$VERSION-$NAME.log" >&2
            exit 1
        fi
        sleep 1
    done
    status
    echo "pg_replica: ready. DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:$PORT/<database>"
}

status() {
    pg_lsclusters
    echo "primary ($PRIMARY_PORT), WAL senders:"
    psql "$PRIMARY_URL" -Atc "select client_addr, state, sent_lsn, replay_lsn from pg_stat_replication"
    if exists; then
        echo "replica ($PORT), in recovery:"
        psql "$REPLICA_URL" -Atc "select pg_is_in_recovery(), pg_last_wal_replay_lsn()" || true
    fi
}

drop() {
    if exists; then
        pg_dropcluster --stop "$VERSION" "$NAME"
        echo "pg_replica: dropped $VERSION/$NAME"
    else
        echo "pg_replica: no cluster $VERSION/$NAME"
    fi
}

case "${1:-}" in
    create) create ;;
    status) status ;;
    drop) drop ;;
    *)
        echo "usage: $0 create|status|drop" >&2
        exit 2
        ;;
esac
