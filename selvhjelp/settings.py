"""Settings for the Selvhjelp portal: one module, driven by environment variables.

With nothing configured the portal runs in development mode on an embedded PostgreSQL under
`.data/`, runs Celery tasks in-process and writes email to files. In production (`DEBUG=false`)
every variable that matters must be set, or the process refuses to start with a message that
says what to set.
"""

import importlib
import importlib.util
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("SELVHJELP_DATA_DIR", BASE_DIR / ".data"))


def env_str(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or default


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be {minimum} or more, not {number}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

_missing: list[str] = []
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "dev-only-not-secret-" + "x" * 40  # noqa: S105 (development fallback)
    else:
        _missing.append("SECRET_KEY (a long random string)")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
if not ALLOWED_HOSTS:
    _missing.append("ALLOWED_HOSTS (comma-separated host names, e.g. selvhjelp.no)")

SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000" if DEBUG else None)
if not SITE_URL:
    _missing.append("SITE_URL (the public address, e.g. https://selvhjelp.no)")

DATABASE_URL = env_str("DATABASE_URL")
if not DATABASE_URL and not DEBUG:
    _missing.append("DATABASE_URL (postgres://user:password@host:5432/name)")

EMAIL_HOST = env_str("EMAIL_HOST")
if not EMAIL_HOST and not DEBUG:
    _missing.append("EMAIL_HOST (the SMTP server that sends the portal's email)")

REDIS_URL = env_str("REDIS_URL")
if not REDIS_URL and not DEBUG:
    # Rate limits and the search cache live in the cache: without a shared one every web
    # process would count on its own, and the limits would multiply by the number of processes.
    _missing.append("REDIS_URL (redis://host:6379/0: the shared cache, rate limits and broker)")

if _missing:
    raise ImproperlyConfigured(
        "The portal runs in production mode (DEBUG is off) and these settings are missing: "
        + "; ".join(_missing)
        + ". Set them in the environment, or set DEBUG=true for development."
    )

# Applications -------------------------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "selvhjelp",
    "contactpoints",
    "groups",
    "events",
    "materials",
    "newsletter",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "selvhjelp.security.permissions_policy_middleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise (static files come compressed ahead of time), above everything that
    # writes the response; compresses public pages only (BREACH: see the class).
    "selvhjelp.middleware.PublicGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After the user and messages, so its page renders like any other.
    "selvhjelp.middleware.ControlCharactersMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "selvhjelp.mfa.StaffMFAMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "selvhjelp.urls"
WSGI_APPLICATION = "selvhjelp.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "selvhjelp.context_processors.site",
            ],
        },
    },
]

# Database -----------------------------------------------------------------------------------

if not DATABASE_URL:
    # Development default: a project-local PostgreSQL under .data/, started on demand.
    from selvhjelp.embedded import embedded_database_url

    DATABASE_URL = embedded_database_url(DATA_DIR / "postgres")

DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL, conn_max_age=env_int("CONN_MAX_AGE", 60), conn_health_checks=True
    )
}
# Prepared statements only where the code asks for them (the group search, whose planning took
# longer than its running: groups/services/search.py), never automatically: Django leaves
# psycopg's automatic preparing off, and so do we. A connection pooler in transaction mode must
# then support protocol-level prepared statements (PgBouncer 1.21 and later).
DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 2**31 - 1
# No JIT compiling: it pays off for long reports, not for a web request's short queries. A
# search whose plan looked expensive (the rarely run half of groups/services/search.py) spent
# 70 ms compiling to run in 30 ms.
DATABASES["default"]["OPTIONS"]["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache, Celery ------------------------------------------------------------------------------

if REDIS_URL:
    CACHES = {
        "default": {
            # Fails open while Redis is down (selvhjelp/cache.py): login, rate limits and the
            # public pages keep working. Redis sits next to the app, so a connection that takes
            # longer than half a second is a Redis that is down; after one failure the process
            # leaves it alone for RETRY_AFTER seconds instead of waiting on every cache call.
            "BACKEND": "selvhjelp.cache.FailOpenRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1, "RETRY_AFTER": 5},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The parts of base.html that are the same on every page of a language (navigation, footer,
# stylesheet links), rendered once per process: they change only with a deploy.
CACHES["fragments"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "fragments",
}

# The public page cache (selvhjelp/cache.py). The query parameters each cached page reads, by URL
# name: a form's dotted path (its fields and initial values) or {name: default}. Anything else in
# the query string is dropped before the view sees it, so it cannot split or poison the cache.
PUBLIC_CACHE_PARAMS = {
    "groups:group-search": "groups.forms.search.GroupSearchForm",
    "contactpoints:contactpoint-search": "selvhjelp.forms.PlaceSearchForm",
}
PUBLIC_CACHE_MAX_AGE = env_int("PUBLIC_CACHE_MAX_AGE", 60, minimum=0)  # Cache-Control, seconds
# Rendered again after every data change (paths with query, comma-separated; "none": none).
PUBLIC_CACHE_PREWARM = (
    []
    if os.environ.get("PUBLIC_CACHE_PREWARM") == "none"
    else env_list(
        "PUBLIC_CACHE_PREWARM",
        [
            "/grupper/",
            "/grupper/?format=digital",
            "/grupper/?sted=Oslo",
            "/grupper/?sted=Bergen",
            "/grupper/?sted=Trondheim",
            "/grupper/?sted=Stavanger",
            "/kontaktpunkter/",
        ],
    )
)

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL  # no broker: tasks run in-process
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "Europe/Oslo"
CELERY_TASK_ACKS_LATE = True  # our tasks are idempotent (the outbox claims each row once)
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# A broker that is down must not hang a request: publish fails fast and the periodic sweep
# sends whatever is still pending.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Measured with the broker on a closed port: 2 s per publish with one retry, 0.02 s without.
# The outbox sweep is the retry, so a publish tries once (and selvhjelp.emails then leaves the
# broker alone for a few seconds).
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "max_retries": 0,
    "visibility_timeout": 3600,
}
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {"task": "selvhjelp.tasks.outbox_sweep", "schedule": timedelta(minutes=1)},
    # Waiting-list offers that ran out, and event reminders (events/jobs.py).
    "event-jobs": {"task": "events.tasks.run_event_jobs", "schedule": timedelta(minutes=10)},
    "newsletter-sweep": {
        "task": "newsletter.tasks.newsletter_sweep",
        "schedule": timedelta(minutes=1),
    },
    "newsletter-bounces": {
        "task": "newsletter.tasks.read_bounces",
        "schedule": timedelta(minutes=10),
    },
    "nightly-housekeeping": {
        "task": "selvhjelp.tasks.run_daily_jobs",
        "schedule": crontab(hour=3, minute=15),
    },
}

# Email --------------------------------------------------------------------------------------

DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Selvhjelp <post@selvhjelp.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
if EMAIL_HOST:
    # Django's SMTP backend, telling a relay that went quiet after DATA from one that refused.
    EMAIL_BACKEND = "selvhjelp.smtp.SMTPBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    # Development: every email lands as a file the developer can open.
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(DATA_DIR / "mail"))
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 6)
OUTBOX_RETRY_BASE_SECONDS = env_int("OUTBOX_RETRY_BASE_SECONDS", 60)
# After a timeout once the relay had the whole message, wait this long before trying again
# (with the same Message-ID): the relay may deliver it in the meantime.
OUTBOX_UNCERTAIN_RETRY_SECONDS = env_int("OUTBOX_UNCERTAIN_RETRY_SECONDS", 6 * 60 * 60)

# Newsletter sending (newsletter/sending.py): batches over one SMTP connection each, at a rate
# the relay accepts; it pauses itself when too many messages fail.
NEWSLETTER_RATE_PER_SECOND = env_int("NEWSLETTER_RATE_PER_SECOND", 20, minimum=1)
NEWSLETTER_MAX_PER_HOUR = env_int("NEWSLETTER_MAX_PER_HOUR", 0, minimum=0)  # 0: no cap
NEWSLETTER_BATCH_SIZE = env_int("NEWSLETTER_BATCH_SIZE", 200, minimum=1)
NEWSLETTER_PAUSE_ERROR_RATE = env_int("NEWSLETTER_PAUSE_ERROR_RATE", 20, minimum=1)  # percent
# A sending whose worker has not reported for this long is taken over by the sweep.
NEWSLETTER_STALE_SECONDS = env_int("NEWSLETTER_STALE_SECONDS", 120, minimum=1)
NEWSLETTER_CONFIRM_DAYS = env_int("NEWSLETTER_CONFIRM_DAYS", 7, minimum=1)
NEWSLETTER_SOFT_BOUNCE_LIMIT = env_int("NEWSLETTER_SOFT_BOUNCE_LIMIT", 3, minimum=1)
NEWSLETTER_BOUNCE_FOLDER = env_str("NEWSLETTER_BOUNCE_FOLDER", str(DATA_DIR / "bounces"))
# The shared secret a provider sends in the X-Webhook-Secret header; unset: the webhook is off.
NEWSLETTER_WEBHOOK_SECRET = env_str("NEWSLETTER_WEBHOOK_SECRET", "")
NEWSLETTER_UNSUBSCRIBE_MAILTO = env_str("NEWSLETTER_UNSUBSCRIBE_MAILTO", "")

# Accounts -----------------------------------------------------------------------------------

AUTH_USER_MODEL = "selvhjelp.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "staff-home"
ACCOUNT_ADAPTER = "selvhjelp.accounts.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_DEFAULT_HTTP_PROTOCOL = urlsplit(SITE_URL).scheme or "https"
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
# The invitation is a password reset link: it logs the person in (with the code, if they already
# have an app) so they set up their authenticator app straight away (selvhjelp/mfa.py).
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
# Staff log in with an authenticator app as a second factor (selvhjelp/mfa.py). On by default in
# production; in development it is off unless asked for, so the demo logins work without an app.
STAFF_MFA_REQUIRED = env_bool("STAFF_MFA_REQUIRED", not DEBUG)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Selvhjelp"
MFA_TOTP_TOLERANCE = 1  # accept the code just before or after: phones' clocks drift

# Internationalisation -----------------------------------------------------------------------

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norsk bokmål")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

# Static files -------------------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Bootstrap and Leaflet come from Python packages (bootstrap-wrapper, xstatic-leaflet): no CDN.
    ("vendor/bootstrap", importlib.util.find_spec("bootstrap").submodule_search_locations[0]),
    ("vendor/leaflet", importlib.import_module("xstatic.pkg.leaflet").BASE_DIR),
]
# Uploaded files (material covers and PDFs). On local disk by default; with STORAGE_S3_BUCKET set
# they go to S3-compatible object storage (django-storages), so every web machine serves the same.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
MEDIA_URL = env_str("MEDIA_URL", "/media/")
STORAGE_S3_BUCKET = env_str("STORAGE_S3_BUCKET")
if STORAGE_S3_BUCKET:
    _s3_missing = [
        name
        for name in ("STORAGE_S3_ACCESS_KEY_ID", "STORAGE_S3_SECRET_ACCESS_KEY")
        if not env_str(name)
    ]
    if _s3_missing:
        raise ImproperlyConfigured(
            "STORAGE_S3_BUCKET is set, and these settings are missing: " + ", ".join(_s3_missing)
        )
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": STORAGE_S3_BUCKET,
            "access_key": env_str("STORAGE_S3_ACCESS_KEY_ID"),
            "secret_key": env_str("STORAGE_S3_SECRET_ACCESS_KEY"),
            "endpoint_url": env_str("STORAGE_S3_ENDPOINT_URL"),
            "region_name": env_str("STORAGE_S3_REGION"),
            "custom_domain": env_str("STORAGE_S3_CUSTOM_DOMAIN"),
            "default_acl": None,
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
# Files served at the site's root, e.g. /favicon.ico, which some browsers and feed readers ask
# for whatever the page links.
WHITENOISE_ROOT = BASE_DIR / "public"
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Security -----------------------------------------------------------------------------------

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 8)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
# Request bodies: the public forms send a dozen short fields, the largest staff form (with the
# admin's bulk actions) a few hundred. A body beyond these is refused with 400 before any form
# sees it (file uploads are counted apart, against FILE_UPLOAD_MAX_MEMORY_SIZE).
DATA_UPLOAD_MAX_MEMORY_SIZE = 256 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 500
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # A load balancer checks the app directly over plain HTTP: the health check answers it
    # instead of sending it to https.
    SECURE_REDIRECT_EXEMPT = [r"^helse/$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = [SITE_URL]

MAP_TILE_URL = env_str("MAP_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILE_ATTRIBUTION = env_str("MAP_TILE_ATTRIBUTION", "© OpenStreetMap")
_tile_origin = "{0.scheme}://{0.netloc}".format(urlsplit(MAP_TILE_URL.replace("{s}", "a")))

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", _tile_origin],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

# Logging: no personal data; only ids and outcomes are logged anywhere in the code.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        # WeasyPrint (packing slips, labels) logs every step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Interest lists: how long personal data is kept, and how many make a group (see DESIGN.md).
INTEREST_RETENTION_DAYS = env_int("INTEREST_RETENTION_DAYS", 365)
INTEREST_RETENTION_AFTER_GROUP_START_DAYS = env_int("INTEREST_RETENTION_AFTER_GROUP_START_DAYS", 90)
DEMAND_THRESHOLD = env_int("DEMAND_THRESHOLD", 5)
# Published groups are confirmed by their contact point every so often, or hidden.
GROUP_CONFIRMATION_INTERVAL_DAYS = env_int("GROUP_CONFIRMATION_INTERVAL_DAYS", 182)
GROUP_CONFIRMATION_GRACE_DAYS = env_int("GROUP_CONFIRMATION_GRACE_DAYS", 28)
RATE_LIMIT_INTEREST_PER_IP = env_int("RATE_LIMIT_INTEREST_PER_IP", 20)
# The public certificate verify page (/bevis/<code>/), per client and hour.
RATE_LIMIT_CERTIFICATE_VERIFY_PER_IP = env_int("RATE_LIMIT_CERTIFICATE_VERIFY_PER_IP", 60)
RATE_LIMIT_INTEREST_PER_EMAIL = env_int("RATE_LIMIT_INTEREST_PER_EMAIL", 5)
# Material orders (the materials app): caps per order (per title caps are set on each title),
# the monthly cap per delivery address, when an order waits for a national admin, limits, and
# how long names and addresses are kept after shipping.
MATERIALS_ORDER_CAP_PUBLIC = env_int("MATERIALS_ORDER_CAP_PUBLIC", 50, minimum=1)
MATERIALS_ORDER_CAP_STAFF = env_int("MATERIALS_ORDER_CAP_STAFF", 1000, minimum=1)
MATERIALS_ADDRESS_MONTHLY_CAP = env_int("MATERIALS_ADDRESS_MONTHLY_CAP", 100, minimum=1)
MATERIALS_REVIEW_COPIES = env_int("MATERIALS_REVIEW_COPIES", 40, minimum=1)
MATERIALS_REVIEW_ORDERS_PER_ADDRESS = env_int("MATERIALS_REVIEW_ORDERS_PER_ADDRESS", 3, minimum=1)
MATERIALS_RETENTION_DAYS = env_int("MATERIALS_RETENTION_DAYS", 90, minimum=1)
RATE_LIMIT_ORDER_PER_IP = env_int("RATE_LIMIT_ORDER_PER_IP", 10)
RATE_LIMIT_ORDER_PER_EMAIL = env_int("RATE_LIMIT_ORDER_PER_EMAIL", 5)
# Events: how long a waiting-list offer stands, and how long registrations are kept after the event.
EVENT_OFFER_HOURS = env_int("EVENT_OFFER_HOURS", 48)
EVENT_RETENTION_DAYS = env_int("EVENT_RETENTION_DAYS", 183)
# How many proxies we run in front of the app (1 behind the TLS proxy). Rate limits take the
# client from X-Forwarded-For only then: 0 trusts no proxy and uses REMOTE_ADDR, as a client
# can send any X-Forwarded-For it likes (see selvhjelp/ratelimit.client_ip).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
# allauth's login limits read the client through AccountAdapter.get_client_ip, which uses the
# same rule; its own setting is kept equal so nothing in allauth reads the header differently.
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT

# Shown on start in development only (see the `demo_data` command).
DEMO_PASSWORD = env_str("DEMO_PASSWORD", "selvhjelp-demo-2026" if DEBUG else None)
