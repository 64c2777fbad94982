#!/usr/bin/env bash
# The test suite needs PostgreSQL on 127.0.0.1:5432 with room for 100+ simultaneous connections:
# the concurrency tests fire 100 parallel ballots from one account, each on its own connection.
set -euo pipefail
NEEDED=300
PSQL=(psql -h 127.0.0.1 -U postgres -Atc)

cluster() { ls /etc/postgresql 2>/dev/null | sort -V | tail -1; }

if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  if [ "$(id -u)" -eq 0 ] && [ -n "$(cluster)" ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(cluster)" main start || true
  fi
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
fi

current=$("${PSQL[@]}" "show max_connections")
if [ "$current" -lt "$NEEDED" ]; then
  if [ "$(id -u)" -ne 0 ] || [ -z "$(cluster)" ]; then
    echo "PostgreSQL allows $current connections; the concurrency tests need $NEEDED:" >&2
    echo "  ALTER SYSTEM SET max_connections = $NEEDED; then restart PostgreSQL." >&2
    exit 1
  fi
  "${PSQL[@]}" "ALTER SYSTEM SET max_connections = $NEEDED" >/dev/null
  pg_ctlcluster --skip-systemctl-redirect "$(cluster)" main restart
  for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  echo "PostgreSQL: max_connections raised from $current to $("${PSQL[@]}" "show max_connections")."
fi
