"""Archipel settings, read from environment variables (twelve-factor).

SQLite is the embedded default for a first run; PostgreSQL is the production and CI
database (``DATABASE_URL=postgres://...``). Production is switched on with
``ARCHIPEL_ENV=production``, which turns on every HTTPS/cookie hardening that
``manage.py check --deploy`` asks for.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

# Lets ModelAdmin[...] and QuerySet[...] be subscripted at run time (typing only).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent
# Local state (SQLite database, task queue file, media, collected static) lives in var/.
VAR_DIR = BASE_DIR / "var"
VAR_DIR.mkdir(exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


ARCHIPEL_ENV = os.environ.get("ARCHIPEL_ENV", "development")
PRODUCTION = ARCHIPEL_ENV == "production"
# pytest-django imports the settings before tests/conftest.py can set ARCHIPEL_TESTING,
# so a pytest run is recognised by pytest being loaded already.
TESTING = env_bool("ARCHIPEL_TESTING", "pytest" in sys.modules)

DEBUG = env_bool("DEBUG", not PRODUCTION)
if PRODUCTION:
    SECRET_KEY = os.environ["SECRET_KEY"]
else:
    SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me-archipel-0123456789")

# Key of the ballot locators (see apps/budgets/models.py): the only bridge between a person
# and their ballot while a vote is open. Kept out of the database; erased links at the close.
BALLOT_LOCATOR_KEY = os.environ.get("BALLOT_LOCATOR_KEY", "") or f"ballot-locator:{SECRET_KEY}"
# Key of the digests of the census list (apps/accounts/census.py); a key apart from SECRET_KEY
# lets the city rotate one without the other. Changing it makes the imported list unusable.
CENSUS_KEY = os.environ.get("CENSUS_KEY", "") or f"census:{SECRET_KEY}"
# Least time between a draw's announcement (hashes of the frozen pool published) and the public
# event whose result seeds it: long enough for anyone to archive the hashes before the seed exists.
SORTITION_SEED_MIN_NOTICE_HOURS = int(os.environ.get("SORTITION_SEED_MIN_NOTICE_HOURS", "24"))

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
SITE_NAME = os.environ.get("SITE_NAME", "Archipel — Nantes")
# Where residents report an accessibility problem (shown in the accessibility statement).
ACCESSIBILITY_CONTACT = os.environ.get("ACCESSIBILITY_CONTACT", "accessibilite@archipel.localhost")
# The city's look (apps/core/theme.py): primary colour (#rrggbb, at least 4.5:1 against white
# text), a typeface installed with the site's static files or on residents' devices, and a logo
# (a path under the static files, shown beside the site name). Checked at start (archipel.E020).
THEME = {
    "primary": os.environ.get("THEME_PRIMARY_COLOR", "#00558c"),
    "font": os.environ.get("THEME_FONT_FAMILY", ""),
    "logo": os.environ.get("THEME_LOGO", ""),
}
# Legal pages (mentions légales, confidentialité): who publishes, who hosts, whom to ask.
LEGAL_PUBLISHER_NAME = os.environ.get("LEGAL_PUBLISHER_NAME", "Ville de Nantes")
LEGAL_PUBLISHER_ADDRESS = os.environ.get(
    "LEGAL_PUBLISHER_ADDRESS", "Hôtel de Ville, 2 rue de l'Hôtel de Ville, 44094 Nantes Cedex 1"
)
LEGAL_CONTACT_EMAIL = os.environ.get("LEGAL_CONTACT_EMAIL", "participation@archipel.localhost")
LEGAL_DIRECTOR = os.environ.get("LEGAL_DIRECTOR", "La maire de Nantes")
LEGAL_HOST = os.environ.get(
    "LEGAL_HOST", "Ville de Nantes, direction du numérique, 2 rue de l'Hôtel de Ville, 44094 Nantes Cedex 1"
)
DPO_CONTACT = os.environ.get("DPO_CONTACT", "dpo@archipel.localhost")
# Retention periods stated in the privacy policy (the sortition lists' limit is in the code).
RETENTION_INACTIVE_ACCOUNT_YEARS = int(os.environ.get("RETENTION_INACTIVE_ACCOUNT_YEARS", "3"))
RETENTION_LOGS_MONTHS = int(os.environ.get("RETENTION_LOGS_MONTHS", "12"))


def env_epsilon(name: str) -> float | None:
    """A differential privacy budget: empty or unset for none, else a number above 0."""
    value = os.environ.get(name, "").strip()
    if not value:
        return None
    epsilon = float(value)
    if not 0 < epsilon < float("inf"):
        raise ValueError(f"{name} must be a number above 0 (or empty for no noise), not {value!r}")
    return epsilon


# Participation indicators (docs/INDICATORS.md): where the pages count people — "rollup" (the
# trigger-kept aggregates, default), "process_rollup" (the process-keyed one only) or "events"
# (the raw events: to compare, or if the triggers were lost) — and the optional Laplace noise of
# the public figures (ε of one count; unset: no noise).
INDICATORS_SOURCE = os.environ.get("INDICATORS_SOURCE", "rollup")
INDICATORS_DP_EPSILON = env_epsilon("INDICATORS_DP_EPSILON")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "huey.contrib.djhuey",
    "apps.core",
    "apps.accounts",
    "apps.answers",
    "apps.proposals",
    "apps.followup",
    "apps.notifications",
    "apps.discussion",
    "apps.opendata",
    "apps.sittings",
    "apps.budgets",
    "apps.sortition",
    "apps.workshops",
    "apps.indicators",
    "apps.councils",
    "apps.initiatives",
    "apps.agenda",
    "apps.consultations",
    "apps.petitions",
    "apps.backoffice",
    "apps.pages",
]
# The test tree's example module, plugged through its manifest only (tests/plugcheck).
INSTALLED_APPS += ["tests.plugcheck"] if TESTING else []

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # django-csp's middleware, the site's policy built once per process (apps/core/content_policy.py).
    "apps.core.content_policy.SitePolicyCSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "apps.core.typography.FrenchTypographyMiddleware",
    "apps.core.params.RejectNulBytesMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Django's CSRF middleware, a posted form's token unmasked in a few calls (apps/core/csrf.py).
    "apps.core.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    # DEBUG only: the French 404 page instead of Django's debug page (DEBUG_404_PAGE=1 for that one).
    "apps.pages.middleware.FrenchNotFoundMiddleware",
]
DEBUG_404_PAGE = env_bool("DEBUG_404_PAGE", False)

ROOT_URLCONF = "archipel.urls"
WSGI_APPLICATION = "archipel.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # French typography filters (« 1er janvier », « 36 000 », « 14,3 % ») in every template.
            "builtins": ["apps.core.templatetags.french"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "apps.core.context_processors.site",
                # The page's CSRF token masked in a few calls instead of ~490 (apps/core/csrf.py);
                # after Django's built-in processor, whose ``csrf_token`` it replaces.
                "apps.core.csrf.context",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'archipel.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend, with a health check of reused connections that sends no ``SELECT 1``
    # (one round trip per request saved; archipel/db/postgresql/base.py says what it checks).
    DATABASES["default"]["ENGINE"] = "archipel.db.postgresql"
    # psycopg prepares nothing while this is None (Django's default). The ORM's cursors bind on
    # the client and never prepare whatever its value; the fixed statements of the ballot path
    # and of the user load ask for it (apps/core/sql.py).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("prepare_threshold", 5)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo server read while a write is in progress.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "apps.accounts.backends.EmailBackend",
    "sesame.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:dashboard"
LOGOUT_REDIRECT_URL = "pages:home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Magic links (django-sesame): one-time, valid 15 minutes.
SESAME_MAX_AGE = 15 * 60
SESAME_ONE_TIME = True

LANGUAGE_CODE = "fr"
# Per-language date formats (French "à" must not show in English).
FORMAT_MODULE_PATH = ["archipel.formats"]
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Uploads: images only, 5 MB each (checked in apps.core.uploads with a French error).
MAX_IMAGE_UPLOAD_BYTES = 5 * 1024 * 1024
# Decoded size cap (also Pillow's Image.MAX_IMAGE_PIXELS, set in apps.core): a 100 KB PNG can
# claim 30000 x 30000 pixels and take gigabytes to decode. 50 MP covers any phone's photo.
MAX_IMAGE_PIXELS = 50_000_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # Django's Redis cache, without a new redis client object per operation (apps/core/cache.py).
    CACHES = {"default": {"BACKEND": "apps.core.cache.ArchipelRedisCache", "LOCATION": REDIS_URL}}
    SESSION_ENGINE = "django.contrib.sessions.backends.cache"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# A refused CSRF check gets a French page that helps recover what was typed.
CSRF_FAILURE_VIEW = "apps.pages.views.csrf_failure"

# Rate limits (django-ratelimit) answer HTTP 429 with a French page.
RATELIMIT_VIEW = "apps.core.views.rate_limited"
RATELIMIT_ENABLE = env_bool("RATELIMIT_ENABLE", True)
# Reverse proxies the city runs (comma-separated addresses or CIDR ranges). Rate limits and
# API throttles key on the client address read through them (apps/core/clientip.py).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", "")
RATELIMIT_IP_META_KEY = "apps.core.clientip.client_ip"
# Django's check looks for its CSRF middleware by its dotted path; apps.core.checks makes the
# same checks (archipel.W003, archipel.W016) for the site's subclass of it.
SILENCED_SYSTEM_CHECKS = ["security.W003"]
if not REDIS_URL:
    # Local memory is enough for the single-process demo server; production sets REDIS_URL.
    SILENCED_SYSTEM_CHECKS += ["django_ratelimit.E003", "django_ratelimit.W001"]

# Background tasks (huey): Redis in production, SQLite file for the demo, immediate in tests.
HUEY_IMMEDIATE = env_bool("HUEY_IMMEDIATE", TESTING)
if REDIS_URL:
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "archipel",
        "url": REDIS_URL,
        "immediate": HUEY_IMMEDIATE,
        "consumer": {"workers": 2, "periodic": True},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "archipel",
        "filename": str(BASE_DIR / "var" / "huey.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
        "consumer": {"workers": 2, "periodic": True},
    }

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Archipel <participation@example.org>")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
    # Never believe X-Forwarded-For by default; the public API throttle reads the client
    # address through TRUSTED_PROXIES instead (apps.opendata.api.views.PublicApiThrottle).
    "NUM_PROXIES": 0,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Archipel open data API",
    "DESCRIPTION": "Read-only public API: processes, territories, proposals, answers, commitments.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

# Map tiles: any XYZ tile server; the page works without it (list alternative).
MAP_TILE_URL = os.environ.get("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_ATTRIBUTION = os.environ.get("MAP_ATTRIBUTION", "© contributeurs OpenStreetMap")
MAP_CENTER = (47.2184, -1.5536)
# Address search (docs/MAPS.md). Empty: the local street gazetteer (ADDRESS_GAZETTEER_FILE, a CSV
# ``nom,latitude,longitude``; the demo's streets by default). In production a city may set the
# national address service, ``https://api-adresse.data.gouv.fr/search/`` (Base Adresse Nationale):
# browsers then query it directly (the CSP's connect-src allows its origin).
ADDRESS_SEARCH_URL = os.environ.get("ADDRESS_SEARCH_URL", "")
ADDRESS_GAZETTEER_FILE = os.environ.get("ADDRESS_GAZETTEER_FILE", "")


def _tile_origin(url: str) -> str:
    """Origin of the map tiles for the CSP: ``https://{s}.tile.example/{z}/…`` → ``https://*.tile.example``."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{re.sub(r'{[^}]*}', '*', parts.netloc)}" if parts.netloc else ""


# Content-Security-Policy (django-csp): scripts and styles are files of this site only (htmx and
# Leaflet are vendored in static/vendor); no inline script or style, no eval. Images from the
# site and the tile server. Stored uploads get a stricter policy (apps.core.uploads.STORED_FILE_CSP).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # data: Leaflet blanks a cancelled or failed tile with a 1-pixel data: GIF (images cannot run code).
        "img-src": [SELF, "data:", *filter(None, [_tile_origin(MAP_TILE_URL)])],
        "font-src": [SELF],
        "connect-src": [SELF, *filter(None, [_tile_origin(ADDRESS_SEARCH_URL)])],
        "object-src": [NONE],
        "frame-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Permissions-Policy (django-permissions-policy): no page of Archipel needs these browser
# features (the proposal map is placed by a click, never by geolocation). ``browsing-topics`` is
# the successor of FLoC's ``interest-cohort``, which Chromium now reports as unknown.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    "accelerometer": [],
    "autoplay": [],
    "browsing-topics": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "usb": [],
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
