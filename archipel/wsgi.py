"""WSGI entry point for gunicorn (see README, "Production").

The ballot POST of voting day takes a shorter middleware path (``archipel/ballot_path.py``);
every other request goes through Django's handler with the whole MIDDLEWARE list.
"""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archipel.settings")
site = get_wsgi_application()  # sets Django up

from archipel.ballot_path import SiteApplication  # noqa: E402 (needs Django set up)

application = SiteApplication(site)
