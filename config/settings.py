"""Koe settings: one module, driven by the environment, safe when nothing is set.

Production sets at least ``SECRET_KEY``, ``ALLOWED_HOSTS``, ``DATABASE_URL`` and
``KOE_ENCRYPTION_KEYS``; see README.md, "Running Koe in production".
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from config.env import env_bool, env_int, env_list, env_str
from config.languages import LANGUAGES, install_extra_language_info

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)
# KOE_DEMO unlocks the demo personas' helpers (seed_demo, demo_otp). It must never be on in
# production, so it is refused unless DEBUG is on as well.
KOE_DEMO = env_bool("KOE_DEMO", default=False)
if KOE_DEMO and not DEBUG:
    raise ImproperlyConfigured("KOE_DEMO=1 is only allowed together with DEBUG=1 (never in production).")

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or SECRET_KEY_FILE) when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks_db",
    "koe.core",
    "koe.audit",
    "koe.organizations",
    "koe.accounts",
    "koe.reports",
    "koe.surveys",
    "koe.cases",
    "koe.notifications",
    "koe.translation",
    "koe.programmes",
    "koe.riskwatch",
    "koe.reach",
    "koe.quarterly",
    "koe.remedy",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "koe.core.middleware.NoTraceMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "koe.accounts.middleware.RequireTwoFactorForStaffMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "koe.core.middleware.PrivacyHeadersMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "django.template.context_processors.csp",
                "koe.core.context_processors.koe",
            ],
        },
    },
]

# Database: SQLite (embedded) unless DATABASE_URL is set.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Koe's queries are short and indexed; PostgreSQL's JIT compiler spent 60-80 ms compiling
    # plans that then ran in 30 (EXPLAIN ANALYZE of the desk search, bench/bench_desk.py).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A shared cache is needed for login throttling across web processes: Redis when REDIS_URL
# is set, otherwise a database table (works with several processes, no extra service).
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "koe_cache",
        }
    }

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Accounts and passwords
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "core:home"
KOE_LOGIN_FAILURE_LIMIT = env_int("KOE_LOGIN_FAILURE_LIMIT", 5)
KOE_LOGIN_LOCKOUT_SECONDS = env_int("KOE_LOGIN_LOCKOUT_SECONDS", 15 * 60)
OTP_TOTP_ISSUER = "Koe"

# Sessions and cookies: short-lived, not readable by scripts, never sent cross-site.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 8)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE = not DEBUG and env_bool("SECURE_COOKIES", default=True)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
LANGUAGE_COOKIE_SECURE = SECURE
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY") else None
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_CONTENT_TYPE_NOSNIFF = True
# same-origin, not no-referrer: with no-referrer Chromium sends "Origin: null" on form posts,
# which fails CSRF origin checks. Other sites still never learn which Koe page linked them.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: nothing but Koe itself; no inline scripts or styles.
SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# Internationalisation
install_extra_language_info()
LANGUAGE_CODE = "ja"
LANGUAGES = LANGUAGES
USE_I18N = True
# SQLite (demo) ignores the report index's covering columns; PostgreSQL uses them. Known and fine.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
FORMAT_MODULE_PATH = ["config.formats"]  # date formats for the languages Django lacks them for
USE_TZ = True
TIME_ZONE = "Asia/Tokyo"
LOCALE_PATHS = [Path(env_str("KOE_LOCALE_DIR", str(BASE_DIR / "locale")))]
LANGUAGE_COOKIE_NAME = "koe_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365

# Static files: served by WhiteNoise, compressed and fingerprinted at collectstatic time.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# In development, serve static files from the source folders (no collectstatic needed).
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Encryption at rest: comma-separated "key_id:base64key" entries, the first one used to encrypt.
KOE_ENCRYPTION_KEYS = env_list("KOE_ENCRYPTION_KEYS")
if not KOE_ENCRYPTION_KEYS:
    if not DEBUG:
        raise ImproperlyConfigured("Set KOE_ENCRYPTION_KEYS (or KOE_ENCRYPTION_KEYS_FILE) when DEBUG is off.")
    KOE_ENCRYPTION_KEYS = ["dev:ZGV2LW9ubHkta2V5LW5ldmVyLWluLXByb2R1Y3Rpb24="]

# Koe itself
KOE_PRIVACY_POLICY_VERSION = "2026-11-01"
KOE_QUICK_EXIT_URL = env_str("KOE_QUICK_EXIT_URL", "https://www.google.com/search?q=weather")
# Shown to workers as who runs this installation; empty means "the Koe secretariat", translated.
KOE_OPERATOR_NAME = env_str("KOE_OPERATOR_NAME")
KOE_SUPPRESSION_THRESHOLD = max(3, env_int("KOE_SUPPRESSION_THRESHOLD", 5))
# Days after an ISO week ends before its serious-risk alerts reach companies (koe/riskwatch);
# never fewer than one, so that a Sunday-night signal is not published within hours.
KOE_RISK_ALERT_DELAY_DAYS = max(1, env_int("KOE_RISK_ALERT_DELAY_DAYS", 2))

# E-mail: desk alerts to consultants and self-check reminders to workers who chose e-mail. No
# message says what a worker wrote or answered (lock screens show e-mail previews).
KOE_SITE_URL = env_str("KOE_SITE_URL").rstrip("/")  # e.g. https://koe.example.org, for links in e-mails
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Koe <noreply@localhost>")
_SMTP_OPTIONS = {
    "host": env_str("EMAIL_HOST", "localhost"),
    "port": env_int("EMAIL_PORT", 25),
    "username": env_str("EMAIL_HOST_USER"),
    "password": env_str("EMAIL_HOST_PASSWORD"),
    "use_tls": env_bool("EMAIL_USE_TLS", default=False),
}
MAILERS: dict[str, dict[str, object]]
if DEBUG and not env_str("EMAIL_HOST"):
    # Demo and development: messages are printed, none leaves the machine.
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    MAILERS = {
        "default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": _SMTP_OPTIONS}
    }
# The desk's deadlines (koe/cases/workflow.py): acknowledgement within this many days (never more
# than 7), critical and urgent cases within hours; feedback within this many days (never more than 90).
KOE_DESK_ACK_DAYS = env_int("KOE_DESK_ACK_DAYS", 7)
KOE_DESK_CRITICAL_ACK_HOURS = env_int("KOE_DESK_CRITICAL_ACK_HOURS", 4)
KOE_DESK_URGENT_ACK_HOURS = env_int("KOE_DESK_URGENT_ACK_HOURS", 48)
KOE_DESK_FEEDBACK_DAYS = env_int("KOE_DESK_FEEDBACK_DAYS", 90)
# Retention of the desk's records (koe/cases/retention.py, docs/retention.md; run daily by
# `manage.py apply_case_retention`). A closed case is anonymised this many days after it was closed:
# its row stays for statistics, what the worker and the desk wrote, its files and its link to the
# worker are deleted. Three years by default: the period in which a worker can still bring the claims
# a case is usually about (unpaid wages, Labour Standards Act Art. 115 with supplementary Art. 143;
# damages, Civil Code Art. 724), while the EU directive (Art. 18) allows keeping a report no longer
# than necessary. LkSG's seven years apply to a company's documentation of its procedure, which the
# anonymised rows still give; an operator who needs the full records longer sets a larger number.
KOE_CASE_RETENTION_DAYS = env_int("KOE_CASE_RETENTION_DAYS", 3 * 365)
# An anonymous worker's receipt code and PIN stop opening their case this many days after the case
# was closed: a code that is never used again must not stay a key to the case for years.
KOE_RECEIPT_UNUSED_EXPIRY_DAYS = env_int("KOE_RECEIPT_UNUSED_EXPIRY_DAYS", 90)
if KOE_CASE_RETENTION_DAYS < 1 or KOE_RECEIPT_UNUSED_EXPIRY_DAYS < 1:
    raise ImproperlyConfigured(
        "KOE_CASE_RETENTION_DAYS and KOE_RECEIPT_UNUSED_EXPIRY_DAYS must be at least 1."
    )
# Wrong resume codes accepted across the whole site per hour before resuming pauses (see
# koe/surveys/resume.py): bounds guessing even by someone who discards sessions.
KOE_RESUME_FAILURES_PER_HOUR = env_int("KOE_RESUME_FAILURES_PER_HOUR", 1000)
# Unsent self-check sheets (and their resume codes) are deleted after this many days.
KOE_SELFCHECK_DRAFT_DAYS = max(1, env_int("KOE_SELFCHECK_DRAFT_DAYS", 30))
# Machine translation of what workers wrote, for desk staff only (koe/translation): "" (none, the
# default: staff read the original only), "libretranslate" (self-hosted; KOE_TRANSLATION_URL is its
# base URL) or "deepl" (KOE_TRANSLATION_URL optional: the API's base URL). Worker text is sent to
# the provider, so the operator's privacy notice must name it.
KOE_TRANSLATION_PROVIDER = env_str("KOE_TRANSLATION_PROVIDER").strip().lower()
KOE_TRANSLATION_URL = env_str("KOE_TRANSLATION_URL").rstrip("/")
KOE_TRANSLATION_API_KEY = env_str("KOE_TRANSLATION_API_KEY")
KOE_TRANSLATION_TIMEOUT = env_int("KOE_TRANSLATION_TIMEOUT", 3)  # seconds; the case page waits for it
KOE_TRANSLATION_CACHE_SECONDS = env_int("KOE_TRANSLATION_CACHE_SECONDS", 60 * 60 * 24)
if KOE_TRANSLATION_PROVIDER not in ("", "libretranslate", "deepl"):
    raise ImproperlyConfigured("KOE_TRANSLATION_PROVIDER must be empty, 'libretranslate' or 'deepl'.")
if KOE_TRANSLATION_PROVIDER == "libretranslate" and not KOE_TRANSLATION_URL:
    raise ImproperlyConfigured("Set KOE_TRANSLATION_URL to the LibreTranslate server's address.")
# Files sent at the desk (photos of payslips, contracts): the largest accepted, in bytes.
KOE_ATTACHMENT_MAX_BYTES = env_int("KOE_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
# Uploads up to five whole attachments stay in memory until cleaned and encrypted, so no plaintext
# copy of a worker's photo is written to a temporary file on the way (koe/cases/attachments.py).
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * KOE_ATTACHMENT_MAX_BYTES + 1024 * 1024

# Logging: no request lines with addresses, no personal data. Django's own request logger
# only records paths and status codes, and Koe URLs carry no personal data.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Invitation and join links carry tokens in their paths (koe/core/logging.py).
    "filters": {"redact_tokens": {"()": "koe.core.logging.RedactTokensFilter"}},
    # On the handler, not on loggers: every record is redacted, whichever logger writes it (e.g.
    # django.security.csrf logs the path of a refused POST).
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact_tokens"]}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Instead of Django's default handlers for "django" (an unfiltered console when DEBUG and mail
        # to ADMINS, which is not set): its records go through the redacting console only.
        "django": {"handlers": ["console"], "propagate": False},
        "django.request": {"filters": ["redact_tokens"]},
        "django.server": {
            "handlers": ["console"],
            "level": "INFO",
            "propagate": False,
            "filters": ["redact_tokens"],
        },
    },
}
