"""Settings for partyorg, read once from the environment.

DEBUG is off unless DEBUG=1 is set (`make run` sets it for the embedded demo); with DEBUG off the app refuses
to start without a strong SECRET_KEY. The other defaults give the embedded run (SQLite, Celery tasks executed
in-process); production sets DATABASE_URL, CELERY_BROKER_URL, SECRET_KEY and ALLOWED_HOSTS.
"""

import datetime as dt
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

from partyorg.proxy import parse_networks
from partyorg.secret_key import check_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY") or ("django-insecure-embedded-only-" + "x" * 40 if DEBUG else "")
if not DEBUG:
    check_secret_key(SECRET_KEY)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# The TLS-terminating proxy in front of the app (addresses or CIDR networks, comma-separated). Only requests
# from it may set X-Forwarded-Proto/-For (partyorg.proxy); empty: the app is reached directly, headers ignored.
TRUSTED_PROXY_IPS = env_list("TRUSTED_PROXY_IPS", "")
try:
    parse_networks(TRUSTED_PROXY_IPS)
except ValueError as error:
    raise ImproperlyConfigured(f"TRUSTED_PROXY_IPS: {error}") from error
if TRUSTED_PROXY_IPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "simple_history",
    "treebeard",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_celery_beat",
    "accounts",
    "audit",
    "organizations",
    "members",
    "admissions",
    "documents",
    "ops",
]

MIDDLEWARE = [
    # First: forwarded headers from anyone but the trusted proxy are dropped before anything reads them.
    "partyorg.proxy.ForwardedHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "partyorg.security_headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.SessionRenewalMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # A person who owes a second factor reaches only enrolment, the code page and log-out.
    "accounts.middleware.OTPRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes last: it inspects the authentication outcome of the request.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "partyorg.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "organizations.context_processors.user_roles",
                "accounts.context_processors.account",
            ],
        },
    },
]

WSGI_APPLICATION = "partyorg.wsgi.application"
ASGI_APPLICATION = "partyorg.asgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login safety (django-axes): AXES_FAILURE_LIMIT failures on one username, from any addresses, lock that
# username; as many failures from one address, on any usernames, lock that address. Separately, for an hour.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# The client's address: REMOTE_ADDR, or behind the trusted proxy the address it forwarded (never a
# client-written X-Forwarded-For).
AXES_CLIENT_IP_CALLABLE = "partyorg.proxy.client_ip"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
# Second factor (TOTP, django-otp) at log-in for administrators and the roles below; on unless DEBUG (the
# `make run` demo logs in with passwords only). Enrolment: /tai-khoan/xac-thuc-hai-buoc/ after the first log-in;
# reset: delete the person's TOTP device in the admin, they enrol again at their next log-in.
OTP_REQUIRED = env_bool("OTP_REQUIRED", not DEBUG)
OTP_REQUIRED_ROLES = env_list("OTP_REQUIRED_ROLES", "superior_staff,province_staff")  # organizations.RoleKind
OTP_PENDING_SECONDS = 300  # between the password and the code
OTP_TOTP_ISSUER = "partyorg"  # the name the authenticator app shows
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows a device's secret or QR code
# The admin site asks for a TOTP code too (its own log-in form; a session verified at log-in passes).
ADMIN_REQUIRE_OTP = env_bool("ADMIN_REQUIRE_OTP", OTP_REQUIRED)

# A session ends after this many minutes without a request: requests push the expiry back
# (accounts.middleware.SessionRenewalMiddleware, at most once a minute).
SESSION_IDLE_TIMEOUT_MINUTES = int(os.environ.get("SESSION_IDLE_TIMEOUT_MINUTES", "30"))
SESSION_COOKIE_AGE = SESSION_IDLE_TIMEOUT_MINUTES * 60

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
FORMAT_MODULE_PATH = ["partyorg.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Celery: with no broker configured, tasks run in-process (the embedded default).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL", "")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", not CELERY_BROKER_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", CELERY_BROKER_URL or None)
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
        if os.environ.get("REDIS_URL")
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Other apps hook into the demo data and the organization page without the lower apps importing them.
# DEMO_SEEDERS: dotted paths of functions(seed=int, today=date), run after members.demo.seed
DEMO_SEEDERS: list[str] = ["admissions.demo.seed"]
# ORGANIZATION_PANELS: URL names taking the organization pk, loaded into its page with htmx
# TREE_PARTICIPANTS: what the apps above the tree keep under organizations, counted and carried by moves and
# merges (organizations/participants.py), so that the tree imports none of them
TREE_PARTICIPANTS: list[str] = ["members.tree.MEMBERS_IN_TREE"]
ORGANIZATION_PANELS: list[str] = [
    "members:organization_panel",
    "members:probation_panel",
    "admissions:plan_panel",
    "admissions:deadlines_panel",
]
# PRINT_BUNDLES: "app_label.model" → function(obj) returning the documents.services.Bundle of its whole file
PRINT_BUNDLES: dict[str, str] = {"admissions.dossier": "admissions.printing.dossier_bundle"}

# Celery beat schedule (django-celery-beat syncs it to the database at start).
CELERY_BEAT_SCHEDULE: dict = {
    "admissions-record-overdue": {"task": "admissions.tasks.record_overdue_dossiers", "schedule": 60 * 60 * 24},
    "members-fail-stale-roster-imports": {"task": "members.tasks.fail_stale_member_jobs", "schedule": 60 * 5},
    "members-purge-exports": {"task": "members.tasks.purge_old_member_exports_task", "schedule": 60 * 60},
    "members-purge-roster-uploads": {"task": "members.tasks.purge_old_roster_uploads_task", "schedule": 60 * 60 * 24},
    "documents-delete-old": {"task": "documents.tasks.delete_old_documents", "schedule": 60 * 60 * 24},
    # The member counts per branch (members.models.OrganizationMemberCount) rebuilt, drift logged: at 3:15, after
    # the nightly backup, when no one imports.
    "members-recount-organization-members": {
        "task": "members.tasks.recount_organization_members_task",
        "schedule": crontab(hour=3, minute=15),
    },
}
# Generated PDFs (documents.GeneratedDocument: printed forms, whole dossiers) hold personal data and are only a cache
# of what the data print: older than this many days, files and rows are deleted daily and made again on demand.
GENERATED_DOCUMENT_RETENTION_DAYS = int(os.environ.get("GENERATED_DOCUMENT_RETENTION_DAYS", "30"))

# Personal ids (CCCD): lookups by a full number (the list searched by CCCD, a number refused as already on file)
# are audited and limited per user per hour; uploaded rosters (files, parsed rows, CCCDs in the check report)
# are purged after this many days, the import's row staying as the record of who imported what.
PERSONAL_ID_LOOKUPS_PER_HOUR = int(os.environ.get("PERSONAL_ID_LOOKUPS_PER_HOUR", "20"))
ROSTER_UPLOAD_RETENTION_DAYS = int(os.environ.get("ROSTER_UPLOAD_RETENTION_DAYS", "30"))
# Member list exports (members/exports.py): up to EXPORT_IMMEDIATE_MAX_ROWS members the POST answers the .xlsx
# itself (2,000 rows take about 2 s); above, a task builds it, EXPORT_CHUNK_ROWS members per query, and the file
# is kept for its requester EXPORT_RETENTION_HOURS, then deleted by the hourly beat task.
EXPORT_IMMEDIATE_MAX_ROWS = int(os.environ.get("EXPORT_IMMEDIATE_MAX_ROWS", "2000"))
EXPORT_CHUNK_ROWS = int(os.environ.get("EXPORT_CHUNK_ROWS", "2000"))
EXPORT_RETENTION_HOURS = int(os.environ.get("EXPORT_RETENTION_HOURS", "24"))

# Backups (ops/backups.py, `manage.py backup` / `manage.py restore`): one folder per backup in BACKUP_DIR,
# those older than BACKUP_KEEP_DAYS deleted after each new one (the newest is always kept). With
# BACKUP_SCHEDULE on, Celery beat runs one every night at BACKUP_HOUR (local time).
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR") or BASE_DIR / "backups")
BACKUP_KEEP_DAYS = int(os.environ.get("BACKUP_KEEP_DAYS", "14"))
if env_bool("BACKUP_SCHEDULE", False):
    CELERY_BEAT_SCHEDULE["ops-nightly-backup"] = {
        "task": "ops.tasks.nightly_backup",
        "schedule": crontab(hour=int(os.environ.get("BACKUP_HOUR", "2")), minute=30),
    }

LIST_PAGE_SIZE = int(os.environ.get("LIST_PAGE_SIZE", "50"))
# Lists count matches up to this many, then say "more than" (an exact count of a broad search scans it all).
LIST_COUNT_CAP = int(os.environ.get("LIST_COUNT_CAP", "10000"))

# Roster uploads (members/roster.py, partyorg/lib/spreadsheet.py): an .xlsx crossing one of these is refused
# before it is parsed. A roster of 20,000 members with every column, as the export writes it, unpacks to 28 MB
# (a ratio of 9); its longest field holds 255 characters.
ROSTER_MAX_ROWS = int(os.environ.get("ROSTER_MAX_ROWS", "20000"))  # members; up to 10 lines of title above them
ROSTER_MAX_COLUMNS = int(os.environ.get("ROSTER_MAX_COLUMNS", "100"))
ROSTER_MAX_CELL_CHARS = int(os.environ.get("ROSTER_MAX_CELL_CHARS", "1000"))
ROSTER_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("ROSTER_MAX_UNCOMPRESSED_MB", "64")) * 1024 * 1024
ROSTER_MAX_COMPRESSION_RATIO = int(os.environ.get("ROSTER_MAX_COMPRESSION_RATIO", "100"))
# A check or write of a roster whose task has sent no heartbeat for this long lost its worker (killed, restarted,
# out of memory): it is marked failed, by the page that shows it and every 5 minutes by beat, and may be checked
# again. Heartbeats come every 500 rows read; the write of 20,000 rows, one transaction, takes under a minute.
# A member export (members/exports.py) silent this long is failed the same way (it beats every chunk of rows).
ROSTER_IMPORT_STALE_AFTER = dt.timedelta(minutes=int(os.environ.get("ROSTER_IMPORT_STALE_MINUTES", "15")))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: everything from this site, nothing inline (no <script> blocks, on*= handlers or
# style="" attributes in the templates); data: images for Bootstrap's inline SVG icons in its CSS.
CONTENT_SECURITY_POLICY = os.environ.get(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
)
# No page uses the camera, microphone, location or other device features: deny them to every origin.
PERMISSIONS_POLICY = os.environ.get(
    "PERMISSIONS_POLICY",
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=(), screen-wake-lock=(), xr-spatial-tracking=()",
)

# The member list's covering index keeps its INCLUDE columns on PostgreSQL; SQLite builds it without them.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
