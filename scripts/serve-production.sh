#!/usr/bin/env bash
# Production-style start: migrations, static files (served by WhiteNoise), task worker, gunicorn.
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
.venv/bin/gunicorn archipel.wsgi
