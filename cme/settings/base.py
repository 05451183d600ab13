"""Settings shared by every environment, driven by environment variables.

Nothing secret lives here: production must set DJANGO_SECRET_KEY and DATABASE_URL.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("CME_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "cme.core",
    "cme.accounts",
    "cme.audit",
    "cme.schools",
    "cme.people",
    "cme.referrals",
    "cme.cases",
    "cme.checks",
    "cme.calendars",
    "cme.plans",
    "cme.transfers",
    "cme.api",
    "cme.notices",
    "rest_framework",
    "drf_spectacular",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "cme.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "cme.core.middleware.NoStoreMiddleware",
]

ROOT_URLCONF = "cme.urls"
WSGI_APPLICATION = "cme.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cme.core.context_processors.service",
            ],
        },
    },
]

# SQLite under var/ is the embedded default; DATABASE_URL selects PostgreSQL in production.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'cme.sqlite3'}"),
        conn_max_age=int(os.environ.get("CME_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # WAL lets the register be read while a referral is being written.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
    )
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:sign-in"

# Argon2 first: the recommended memory-hard hash; the others only verify old hashes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Staff sign in with a password and a code from an authenticator app (TOTP, RFC 6238).
# On by default; the demo and the test settings turn it off, and its own tests turn it on.
CME_REQUIRE_SECOND_FACTOR = env_bool("CME_REQUIRE_SECOND_FACTOR", True)
OTP_TOTP_ISSUER = os.environ.get("CME_OTP_ISSUER", "CME Register")

# A form refused for a missing or stale security token (often: cookies blocked) gets a page that
# says what to do, not Django's technical one.
CSRF_FAILURE_VIEW = "cme.core.csrf.csrf_failure"

# Sessions expire after a working day, and when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("CME_SESSION_SECONDS", str(8 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Built by `npm run build` (make install) from govuk-frontend; not committed.
STATICFILES_DIRS = [BASE_DIR / "cme" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Background work (reminders, notifications) runs in a queue held in the database: run
# `cme db_worker` beside the web processes. Tests and the demo run tasks at once.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("CME_TASKS_BACKEND", "django_tasks_db.backend.DatabaseBackend")
    }
}

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("CME_FROM_EMAIL", "cme-register@localhost")

# The authority this installation serves (Liverpool's LA code is the policy's own).
CME_LA_CODE = os.environ.get("CME_LA_CODE", "341")
CME_LA_NAME = os.environ.get("CME_LA_NAME", "Liverpool")
CME_SERVICE_NAME = "CME Register"
# Links in emails point here.
CME_BASE_URL = os.environ.get("CME_BASE_URL", "http://localhost:8000")
# A case with no update for this many school days is flagged to the CME officer.
CME_STALE_AFTER_SCHOOL_DAYS = int(os.environ.get("CME_STALE_AFTER_SCHOOL_DAYS", "10"))
# A child's record is kept until this birthday, then removed by `cme apply-retention` (a case
# still open keeps it). Set by the council's retention schedule.
CME_RETAIN_UNTIL_AGE = int(os.environ.get("CME_RETAIN_UNTIL_AGE", "25"))
# Deadlines this many school days away or fewer are "due soon" on the work queues.
CME_DUE_SOON_SCHOOL_DAYS = int(os.environ.get("CME_DUE_SOON_SCHOOL_DAYS", "5"))
CME_DEMO = env_bool("CME_DEMO", False)
# A lost pupil whose last postcode is in one of these districts is "in the city" and, if it
# matches no open case, becomes a referral (docs/transfers.md). Postcode districts do not follow
# the council's boundary exactly: the default is Liverpool's districts that lie wholly or
# mostly in the city; a council sets its own list.
CME_CITY_POSTCODE_DISTRICTS = env_list(
    "CME_CITY_POSTCODE_DISTRICTS",
    "L1,L2,L3,L4,L5,L6,L7,L8,L9,L11,L12,L13,L14,L15,L16,L17,L18,L19,L24,L25,L27",
)

# How the public, schools and families reach the council's CME team and its data protection
# officer: shown on the contact page, the privacy notice, the sign-in page and error pages. The
# defaults are fictional (example.org, Ofcom's drama numbers) so a demo never points at a real
# office; `cme check --deploy` warns while they are still in place.
CME_CONTACT_EMAIL = os.environ.get("CME_CONTACT_EMAIL", "cme-team@council.example.org")
CME_CONTACT_PHONE = os.environ.get("CME_CONTACT_PHONE", "01632 960 001")
CME_CONTACT_HOURS = os.environ.get("CME_CONTACT_HOURS", "Monday to Friday, 9am to 5pm")
# Comma-separated lines of a postal address.
CME_CONTACT_ADDRESS = env_list(
    "CME_CONTACT_ADDRESS",
    "Children Missing Education team,Example Council,1 Example Street,Exampletown,ZZ99 9ZZ",
)
CME_DPO_EMAIL = os.environ.get("CME_DPO_EMAIL", "data-protection@council.example.org")
# The date the accessibility statement was prepared (reviewed); change it when it is reviewed.
CME_ACCESSIBILITY_STATEMENT_DATE = date.fromisoformat(
    os.environ.get("CME_ACCESSIBILITY_STATEMENT_DATE", "2026-12-02")
)
CME_PAGE_SIZE = 50

# Logs carry ids and verbs, never names: personal data stays in the database.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("CME_LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's request logger prints the path; ours never carry personal data in URLs.
        "django.security.DisallowedHost": {"handlers": ["console"], "level": "ERROR"},
        # 403s and 404s are routine (scope at work); 403s are in the audit trail instead.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
    },
}

from cme.api.settings import REST_FRAMEWORK, SPECTACULAR_SETTINGS  # noqa: E402, F401
