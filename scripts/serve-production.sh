#!/usr/bin/env bash
# Production-style start: migrations, static files (served by WhiteNoise), task worker, HTTP server:
# gunicorn (gunicorn.conf.py), or granian with ARCHIPEL_SERVER=granian (scripts/serve-granian.sh;
# docs/VOTING_DAY.md, "Server configuration").
# Needs at least SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL (PostgreSQL) and REDIS_URL in the environment.
set -euo pipefail
cd "$(dirname "$0")/.."
export ARCHIPEL_ENV=production
: "${SECRET_KEY:?set SECRET_KEY}" "${ALLOWED_HOSTS:?set ALLOWED_HOSTS}" "${DATABASE_URL:?set DATABASE_URL}"
PY=.venv/bin/python
$PY manage.py check --deploy --fail-level WARNING
$PY manage.py migrate --noinput
$PY manage.py collectstatic --noinput -v0
$PY manage.py compilemessages -v0 --ignore=.venv
$PY manage.py run_huey --quiet &
HUEY_PID=$!
trap 'kill $HUEY_PID 2>/dev/null' EXIT
if [ "${ARCHIPEL_SERVER:-gunicorn}" = granian ]; then
  scripts/serve-granian.sh
else
  .venv/bin/gunicorn archipel.wsgi
fi
