#!/usr/bin/env bash
# Voting-day HTTP server (docs/VOTING_DAY.md, "Server configuration"): granian, whose HTTP/1.1 is
# Rust code, in front of the same WSGI application gunicorn serves. It reads the environment
# gunicorn.conf.py reads: GUNICORN_BIND (host:port), WEB_CONCURRENCY (processes), GUNICORN_THREADS
# (threads per process; 1 for a CPU-bound ballot), GUNICORN_KEEPALIVE (0: close the connection
# after each answer, as gunicorn's sync workers do). `scripts/serve-production.sh` calls it when
# ARCHIPEL_SERVER=granian; run alone, it only serves (no migration, no task worker).
set -euo pipefail
cd "$(dirname "$0")/.."
bind="${GUNICORN_BIND:-127.0.0.1:8000}"
workers="${WEB_CONCURRENCY:-$(($(nproc) * 2))}"
keepalive=--http1-keep-alive
if [ "${GUNICORN_KEEPALIVE:-5}" = 0 ]; then keepalive=--no-http1-keep-alive; fi
exec "${GRANIAN:-.venv/bin/granian}" archipel.wsgi:application \
  --interface wsgi --http 1 --no-ws "$keepalive" \
  --host "${bind%:*}" --port "${bind##*:}" \
  --workers "$workers" --blocking-threads "${GUNICORN_THREADS:-1}" \
  --respawn-failed-workers --log-level "${GRANIAN_LOG_LEVEL:-warning}"
