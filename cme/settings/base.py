"""Settings shared by every environment, driven by environment variables.

Nothing secret lives here: production must set DJANGO_SECRET_KEY and DATABASE_URL.
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

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
    "cme.accounts.apps.CmeAdminConfig",  # Django's admin, audited (cme/accounts/admin_site.py)
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
    "cme.enquiries",
    "cme.transfers",
    "cme.checklist",
    "cme.roll",
    "cme.provision",
    "cme.api",
    "cme.notices",
    "cme.worklist",
    "cme.reports",
    "cme.records",
    "cme.oversight",
    "cme.demo",
    "rest_framework",
    "drf_spectacular",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "cme.core.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before whitenoise, so static files and every error page carry both headers too.
    "cme.core.middleware.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
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
    # Last, so that it sees the sign-in's response and can replace it with the lockout page.
    "axes.middleware.AxesMiddleware",
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
                "csp.context_processors.nonce",
            ],
        },
    },
]

# SQLite under var/ is the embedded default; DATABASE_URL selects PostgreSQL in production.
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'cme.sqlite3'}")
# In production the app's role may only add to and read the audit trail, so the commands that
# create tables connect as their owner, DATABASE_OWNER_URL, and then grant the app's role
# (DATABASE_URL's) its privileges (cme/cli.py asks for this; docs/audit.md). Set
# DATABASE_OWNER_URL only where those commands run, never for the web or worker processes.
CME_DATABASE_APP_ROLE = ""
if env_bool("CME_DATABASE_AS_OWNER", False) and os.environ.get("DATABASE_OWNER_URL"):
    CME_DATABASE_APP_ROLE = str(dj_database_url.parse(DATABASE_URL).get("USER") or "")
    DATABASE_URL = os.environ["DATABASE_OWNER_URL"]
# In production each worker process keeps its connection for a minute (checked before reuse);
# the dev server closes its own after each request (see dev).
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
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
LOGIN_REDIRECT_URL = "worklist:home"
LOGOUT_REDIRECT_URL = "accounts:sign-in"

# Argon2id first, at OWASP's setting (cme/accounts/hashers.py says why not Django's); PBKDF2
# only verifies old hashes.
PASSWORD_HASHERS = [
    "cme.accounts.hashers.OwaspArgon2PasswordHasher",
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

# Axes first: a locked-out account or address is refused before its password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# X-Forwarded-For is believed only from these proxies (comma-separated addresses or networks,
# for example "10.0.0.0/8"); empty, the header is ignored and the connection's address counts.
CME_TRUSTED_PROXIES = env_list("CME_TRUSTED_PROXIES")

# Sign-in lockout (django-axes, counted in the database, so atomic across app processes):
# after CME_SIGN_IN_FAILURE_LIMIT wrong passwords or codes for one username, or from one
# address, sign-in is refused until a CME manager unlocks it or the cool-off passes
# (CME_SIGN_IN_COOL_OFF_MINUTES after the last failure; 0 means only a manager unlocks).
CME_SIGN_IN_FAILURE_LIMIT = int(os.environ.get("CME_SIGN_IN_FAILURE_LIMIT", "20"))
CME_SIGN_IN_COOL_OFF_MINUTES = int(os.environ.get("CME_SIGN_IN_COOL_OFF_MINUTES", "60"))
AXES_ENABLED = True
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = CME_SIGN_IN_FAILURE_LIMIT
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = (
    timedelta(minutes=CME_SIGN_IN_COOL_OFF_MINUTES) if CME_SIGN_IN_COOL_OFF_MINUTES > 0 else None
)
AXES_CLIENT_IP_CALLABLE = "cme.core.request_context.client_ip"
AXES_LOCKOUT_CALLABLE = "cme.accounts.lockout.lockout_response"
# The counter is cleared by a complete sign-in (password and, when required, the code), not by
# the password alone: otherwise a stolen password would buy unlimited guesses at the code.
AXES_RESET_ON_SUCCESS = False
# Axes' own log lines would carry the username typed; ours carry none (the audit trail has it).
AXES_CLIENT_STR_CALLABLE = "cme.accounts.lockout.client_str"
AXES_VERBOSE = False
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password", "code"]
# Locked sign-ins are listed and unlocked on the CME manager's page, not in the admin.
AXES_ENABLE_ADMIN = False
AXES_DISABLE_ACCESS_LOG = True

# Staff sign in with a password and a code from an authenticator app (TOTP, RFC 6238).
# On by default; the demo and the test settings turn it off, and its own tests turn it on.
CME_REQUIRE_SECOND_FACTOR = env_bool("CME_REQUIRE_SECOND_FACTOR", True)
# A new (or reset) authenticator is set up only from a one-time link a manager or an
# administrator issues; it stops working after this many hours or once used.
CME_ENROLMENT_LINK_HOURS = int(os.environ.get("CME_ENROLMENT_LINK_HOURS", "72"))
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
# Referer carries at most this site's origin, never a path or query, to anyone, this site
# included. Not "no-referrer": under it browsers send `Origin: null` with every form post,
# and Django's CSRF check then (rightly) refuses every form.
SECURE_REFERRER_POLICY = "strict-origin"
X_FRAME_OPTIONS = "DENY"

# Scripts, styles, images and fonts come only from this site; the one inline script (the
# GOV.UK Frontend "js-enabled" class, which must run before the page paints) carries a nonce.
# No 'unsafe-inline' anywhere, so an injected <script> or style attribute does nothing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}
# The browser features the register never uses, switched off for every page and anything it
# might embed (cme.core.middleware.PermissionsPolicyMiddleware sends this).
CME_PERMISSIONS_POLICY = {
    feature: ()
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
# Dates as "3 April 2014" wherever a template shows one without its own format (docs/forms.md).
FORMAT_MODULE_PATH = ["cme.core.formats"]

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

# The worker runs a heartbeat task this often; `/healthz/ready` fails when the last one is older
# than the second number (a worker stopped, or stuck on a long task).
CME_WORKER_HEARTBEAT_SECONDS = int(os.environ.get("CME_WORKER_HEARTBEAT_SECONDS", "60"))
CME_WORKER_STALE_AFTER_SECONDS = int(os.environ.get("CME_WORKER_STALE_AFTER_SECONDS", "300"))

EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
DEFAULT_FROM_EMAIL = os.environ.get("CME_FROM_EMAIL", "cme-register@localhost")

# The authority this installation serves (Liverpool's LA code is the policy's own).
CME_LA_CODE = os.environ.get("CME_LA_CODE", "341")
CME_LA_NAME = os.environ.get("CME_LA_NAME", "Liverpool")
# Days between a school's attendance returns, as agreed with its schools (SI 2024/208 reg
# 13(8); guidance: no less than once a calendar month). A school past it is shown as late.
CME_ATTENDANCE_RETURN_INTERVAL_DAYS = int(
    os.environ.get("CME_ATTENDANCE_RETURN_INTERVAL_DAYS", "31")
)
CME_SERVICE_NAME = "CME Register"
# Links in emails point here.
CME_BASE_URL = os.environ.get("CME_BASE_URL", "http://localhost:8000")
# A case with no update for this many school days is flagged to the CME officer.
CME_STALE_AFTER_SCHOOL_DAYS = int(os.environ.get("CME_STALE_AFTER_SCHOOL_DAYS", "10"))
# The council's retention schedule (cme/rules/retention.py): a child's record is kept for this
# many years from birth, by category, the longest that applies, then removed by
# `cme apply-retention` (a case still open keeps it). Read as written; a value that is not a
# whole number of years stops start-up with the setting's name (cme/records/checks.py).
# CME_RETAIN_UNTIL_AGE, this setting's earlier name, still sets the default.
CME_RETENTION_YEARS_DEFAULT = os.environ.get(
    "CME_RETENTION_YEARS_DEFAULT", os.environ.get("CME_RETAIN_UNTIL_AGE", "25")
)
CME_RETENTION_YEARS_EHCP = os.environ.get("CME_RETENTION_YEARS_EHCP", "31")
CME_RETENTION_YEARS_LOOKED_AFTER = os.environ.get("CME_RETENTION_YEARS_LOOKED_AFTER", "75")
# Deadlines this many school days away or fewer are "due soon" on the work queues.
CME_DUE_SOON_SCHOOL_DAYS = int(os.environ.get("CME_DUE_SOON_SCHOOL_DAYS", "5"))

# The children change log (cme.people.models.ChildIndexChange) that keeps each process's match
# index up to date is pruned of entries older than this by `cme prune-index-changes`; a process
# that has not looked at the log for half this time rebuilds its index instead.
CME_INDEX_CHANGE_LOG_HOURS = int(os.environ.get("CME_INDEX_CHANGE_LOG_HOURS", "48"))
# How often a process looks for a switch of the matching model in use (cme match use).
CME_MATCHING_MODEL_CHECK_SECONDS = float(os.environ.get("CME_MATCHING_MODEL_CHECK_SECONDS", "10"))

# Enquiries that locate a child (cme.enquiries, docs/enquiries.md). Each kind's answer is due
# this many days after it is sent (and again after each chase): school days for a school and
# a home visit, working days for a council, an agency and the DfE searches. No statute sets
# them; CME_ENQUIRY_DUE_<KIND> (CME_ENQUIRY_DUE_CME3A, ...) overrides each.
CME_ENQUIRY_DUE = {
    kind: (int(os.environ.get(f"CME_ENQUIRY_DUE_{kind.upper()}", days)), counting)
    for kind, days, counting in (
        ("cme3a", "10", "school days"),
        ("cme4", "10", "working days"),
        ("cme5a", "10", "working days"),
        ("home_visit", "5", "school days"),
        ("agency_check", "10", "working days"),
        ("s2s_search", "5", "working days"),
        ("lost_pupil_search", "5", "working days"),
    )
}
# Partner extracts (cme.reports.extracts, docs/reports.md): how each hides small numbers,
# "suppress" (cells below the threshold hidden, with secondary suppression) or "round" (DfE's
# nearest 10 with "low"), and the threshold. CME_EXTRACT_<NAME>=suppress:5 or =round
# overrides one (NAME in capitals, dashes as underscores: CME_EXTRACT_REFERRALS_BY_ROUTE).


def _extract_method(name: str, default: str) -> tuple[str, int]:
    method, _, threshold = os.environ.get(
        f"CME_EXTRACT_{name.upper().replace('-', '_')}", default
    ).partition(":")
    return method, int(threshold or "5")


CME_EXTRACTS = {
    name: _extract_method(name, default)
    for name, default in (
        ("cme-by-year-group-and-sex", "suppress:5"),
        ("register-status", "suppress:5"),
        ("referrals-by-route", "suppress:5"),
        ("closures-by-outcome", "round"),
    )
}
# The watch on a child's attendance once they start in new provision (cme.provision,
# docs/provision.md): this many school days from the start, in the provider school's calendar,
# before the officer records whether the child is attending and the case may close as back in
# education. No statute sets it; the policy's "usually 4 weeks" out of provision is CME.
CME_PROVISION_WATCH_SCHOOL_DAYS = int(os.environ.get("CME_PROVISION_WATCH_SCHOOL_DAYS", "20"))
# Render each letter in the background as the enquiry is sent (the test settings turn it
# off for speed; a letter not yet made is made when first opened, then kept).
CME_ENQUIRY_LETTER_ON_SEND = env_bool("CME_ENQUIRY_LETTER_ON_SEND", True)
# A secure link for a recipient with no account stops working after this many days.
CME_ENQUIRY_LINK_DAYS = int(os.environ.get("CME_ENQUIRY_LINK_DAYS", "28"))
# Opening or answering secure links: at most this many tries an hour from one address.
CME_ENQUIRY_LINK_PER_IP = int(os.environ.get("CME_ENQUIRY_LINK_PER_IP", "30"))
# An enquiry email is tried this many times, waiting longer each time, before it is shown as
# failed on the enquiry.
CME_ENQUIRY_EMAIL_ATTEMPTS = int(os.environ.get("CME_ENQUIRY_EMAIL_ATTEMPTS", "5"))
# The kinds of enquiry a case must have made (and had answered, or escalated unanswered)
# before it can close as "whereabouts unknown after all enquiries".
CME_ENQUIRIES_BEFORE_LOST = env_list(
    "CME_ENQUIRIES_BEFORE_LOST", "cme3a,home_visit,lost_pupil_search"
)
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
# The biggest file an import accepts, checked before it is read: EMS extracts, lost-pupil CTF
# files (each) and term dates. A whole authority's EMS extract is a few MB.
CME_IMPORT_MAX_MB = float(os.environ.get("CME_IMPORT_MAX_MB", "25"))
# DfE's national establishments file (edubasealldata.csv) is about 70 MB on its own.
CME_ESTABLISHMENTS_IMPORT_MAX_MB = float(os.environ.get("CME_ESTABLISHMENTS_IMPORT_MAX_MB", "200"))
# Rows on one page of the register, the home education register and the API's lists.
CME_PAGE_SIZE = int(os.environ.get("CME_PAGE_SIZE", "50"))
# How long the API remembers an Idempotency-Key and the response it got (cme.api.idempotency).
CME_IDEMPOTENCY_KEY_HOURS = int(os.environ.get("CME_IDEMPOTENCY_KEY_HOURS", "24"))
# Triage's search before create also looks at the referrals received this many days either
# side of the one triaged, and names one describing the child in the same words as most likely
# the same referral sent again (cme.referrals.known_children).
CME_RECENT_REFERRAL_DAYS = int(os.environ.get("CME_RECENT_REFERRAL_DAYS", "14"))

# The public referral form (/refer/): how many referrals one address and one browser session
# may send in a window, and how quickly a person could possibly fill it in.
# The counts are kept in the database (cme.core.rate_limits).
CME_PUBLIC_REFERRAL_WINDOW_SECONDS = int(
    os.environ.get("CME_PUBLIC_REFERRAL_WINDOW_SECONDS", str(60 * 60))
)
CME_PUBLIC_REFERRAL_PER_IP = int(os.environ.get("CME_PUBLIC_REFERRAL_PER_IP", "10"))
CME_PUBLIC_REFERRAL_PER_SESSION = int(os.environ.get("CME_PUBLIC_REFERRAL_PER_SESSION", "3"))
CME_PUBLIC_REFERRAL_MIN_SECONDS = float(os.environ.get("CME_PUBLIC_REFERRAL_MIN_SECONDS", "5"))

# Logs are JSON lines on stdout with a request id (cme/core/jsonlog.py): ids and verbs, never
# names, search terms or query strings; personal data stays in the database.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "cme.core.jsonlog.RequestIdFilter"}},
    "formatters": {"json": {"()": "cme.core.jsonlog.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("CME_LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own handlers (plain text, the development server's request lines with their
        # query strings) are replaced: everything goes through the JSON console above.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
        "django.security.DisallowedHost": {"level": "ERROR"},
        # 403s and 404s are routine (scope at work); 403s are in the audit trail instead.
        "django.request": {"level": "ERROR"},
        # At DEBUG this logger writes every SQL statement with its parameters: names, dates of
        # birth. It stays at INFO whatever CME_LOG_LEVEL says.
        "django.db.backends": {"handlers": [], "level": "INFO", "propagate": True},
        # WeasyPrint logs each step of every letter at INFO, and at DEBUG the letter's own
        # text; only its warnings and errors are kept.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# The REST API (docs/api.md). Rates are per user (a token acts as its owner), or per client
# address when signed out; counted atomically in the database (cme.core.rate_limits), so every
# app process shares one count.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # The first class's challenge is sent with a 401, so token auth comes first.
        "cme.api.authentication.BearerTokenAuthentication",
        # Signed-in staff in a browser; DRF enforces CSRF for these requests.
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "cme.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "cme.api.throttling.AnonThrottle",
        "cme.api.throttling.UserThrottle",
        "cme.api.throttling.ScopedThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("CME_API_ANON_RATE", "60/hour"),
        "user": os.environ.get("CME_API_USER_RATE", "1200/hour"),
        "referral_create": os.environ.get("CME_API_REFERRAL_RATE", "120/hour"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "CME Register API",
    "DESCRIPTION": (
        "Create referrals of children missing education and read the cases and referrals "
        "your organisation may see. A token acts as the account it was issued for. "
        "See docs/api.md."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PUBLIC": True,
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "cme.cases.models.CaseStatus",
        "ReferralStatusEnum": "cme.referrals.models.ReferralStatus",
        "AttendanceReasonEnum": "cme.roll.models.AttendanceReason",
        "ReferralReasonEnum": "cme.referrals.models.Reason",
        "EnquiryOutcomeEnum": "cme.api.enquiries.API_OUTCOMES",
    },
}
