"""Production start: `gunicorn archipel.wsgi` reads this file (see README, "Production").

Threads let a worker overlap database waits; two processes per core keep both cores busy
when one worker is in Python code. Tune with WEB_CONCURRENCY / GUNICORN_THREADS, and choose the
worker class with GUNICORN_WORKER_CLASS: ``sync`` is the voting-day configuration
(docs/VOTING_DAY.md, "Server configuration"; granian, started by scripts/serve-granian.sh with the
same variables, is the other), ``gthread`` the everyday default.
"""

from __future__ import annotations

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", str(multiprocessing.cpu_count() * 2)))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = 30
graceful_timeout = 20
# Seconds a client's idle connection stays open. A kept-alive connection stays with the worker
# that accepted it (gthread), so under saturation one worker's queue grows while others idle:
# GUNICORN_KEEPALIVE=0 closes after each answer, as behind nginx (HTTP/1.0 to its upstream).
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
max_requests = 5000
max_requests_jitter = 500
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
