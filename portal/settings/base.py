"""Settings read from the environment in one place.

The defaults are the embedded mode: SQLite under var/, eager Celery, files under
var/media and var/private, e-mails on the console. Production overrides live in
``portal.settings.production``.
"""

from pathlib import Path

import environ
from csp.constants import NONCE

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=True)
SECRET_KEY = env.str("SECRET_KEY", default="embedded-only-not-secret-9f1c2e7a4b")
# Encryption at rest of special-category case data (django-fernet-encrypted-fields): the keys are
# derived from SECRET_KEY (+ SECRET_KEY_FALLBACKS) and each salt here; the first salt encrypts, all
# decrypt. Rotation: put a new salt first, keep the old ones, run ``manage.py rotate_case_encryption``.
SALT_KEY = env.list("SALT_KEY", default=["embedded-only-salt-3c8d1f0b"])
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# Demo mode allows seed_demo; it is never on in production settings.
DEMO_MODE = env.bool("DEMO_MODE", default=True)

INSTALLED_APPS = [
    # Our apps first so their templates override those of the libraries.
    "integration_core",
    "programmes",
    "grants",
    "portal.accounts",
    "portal.organisations",
    "portal",
    "cms",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_fsm",
    "djmoney",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "csp",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "portal.security_headers.WagtailAdminCSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.upload_limits.UploadSizeLimitMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After authentication, messages and allauth: end idle or long staff sessions, then hold staff
    # without a second factor at its setup page.
    "portal.accounts.middleware.StaffSessionMiddleware",
    "portal.accounts.middleware.SecondFactorRequiredMiddleware",
    "portal.accounts.admin_area.AdminAreaOnlyForStaffMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "portal.middleware.NoStoreForPersonalDataMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "portal:dashboard"
LOGOUT_REDIRECT_URL = "/"

# django-allauth: e-mail is the login, verified before first use.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
# The subject prefix is the portal's name (the adapter adds it, see portal.accounts.mails).
ACCOUNT_EMAIL_SUBJECT_PREFIX = None
# A mail to the account after a password change or reset, so an unnoticed takeover gets noticed.
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_ADAPTER = "portal.accounts.adapter.AccountAdapter"
# Rate limits (allauth): amount/period/per ip|key|user, counted in the default cache shared by all processes.
# login_failed counts wrong passwords per address (key) and per client address; confirm_email is the pause
# between two verification mails to one address. "upload" is the portal's own key for file uploads.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip,300/h/ip",
    "login_failed": "10/m/ip,5/15m/key",
    "signup": "5/m/ip,30/h/ip",
    "reset_password": "10/m/ip,3/15m/key",
    "reset_password_from_key": "20/m/ip",
    "confirm_email": "1/3m/key",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
    "upload": "30/m/user,300/h/user",
}
# Behind proxies the client address is the n-th from the right in X-Forwarded-For (0: REMOTE_ADDR itself).
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# One way in: every login goes through allauth (e-mail verification, rate limits); Wagtail's own login,
# password reset and password/e-mail change are switched off and their addresses lead to allauth.
WAGTAILADMIN_LOGIN_URL = LOGIN_URL
WAGTAIL_FRONTEND_LOGIN_URL = LOGIN_URL
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
# Pages and collections cannot be protected by a shared password (a second, unthrottled login).
WAGTAIL_PRIVATE_PAGE_OPTIONS = {"password": False}
WAGTAIL_PRIVATE_COLLECTION_OPTIONS = {"password": False}

# The cache is shared by all processes (rate limits must count every attempt): Redis when REDIS_URL is set,
# else the database (`manage.py createcachetable`, done by `make run`). Never per-process memory.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                          "KEY_PREFIX": "foerderportal"}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "portal_cache"}}

# Second factor (allauth.mfa): an authenticator app (TOTP) with recovery codes, or a security key / passkey
# (WebAuthn) where the browser offers one. Required for every role except applicants (see
# portal.accounts.second_factor); offered to applicants. Production refuses to start with MFA_ENFORCED off.
MFA_ENFORCED = env.bool("MFA_ENFORCED", default=True)
MFA_ADAPTER = "portal.accounts.mfa_adapter.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
# A passkey alone would skip the password: one login path with two factors is kept for everyone.
MFA_PASSKEY_LOGIN_ENABLED = False
# One 30-second step either side for phones whose clock is a little off (RFC 6238, section 5.2).
MFA_TOTP_TOLERANCE = 1
# WebAuthn needs https; the embedded demo runs on http://127.0.0.1 (production turns this off).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# Staff sessions (everyone who needs a second factor) end after this idle time and at most this long after
# login, whatever «angemeldet bleiben» says; applicants keep the normal session.
STAFF_SESSION_IDLE_MINUTES = env.int("STAFF_SESSION_IDLE_MINUTES", default=30)
STAFF_SESSION_MAX_HOURS = env.int("STAFF_SESSION_MAX_HOURS", default=10)
# Payout batches, SEPA files, executing a batch and changing programme rules ask for the password or a
# second-factor code again unless given within this many seconds (allauth reauthentication). An e-mailed
# code is not enough for these steps.
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_REAUTHENTICATION_METHODS = ("password", "mfa")

LANGUAGE_CODE = "de"
# Language names in their own language, as a language switcher should show them.
LANGUAGES = [("de", "Deutsch"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
# Applicants' attachments and generated letters never sit under MEDIA_URL:
# they are served only through permission-checked views.
PRIVATE_ROOT = env.path("PRIVATE_ROOT", default=VAR_DIR / "private")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": str(PRIVATE_ROOT), "base_url": None,
            "file_permissions_mode": 0o640, "directory_permissions_mode": 0o750,
        },
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
# Uploads: files readable by the owner and its group only; a multipart request above this size is refused
# with 413 before its body is read (one file plus the form around it); at most this many uploads per user
# in this many seconds.
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750
UPLOAD_REQUEST_MAX_BYTES = env.int("UPLOAD_REQUEST_MAX_BYTES", default=ATTACHMENT_MAX_BYTES + 1024 * 1024)
UPLOAD_RATE_LIMIT = (env.int("UPLOAD_RATE_LIMIT_COUNT", default=30), env.int("UPLOAD_RATE_LIMIT_SECONDS", default=600))

EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="foerderportal@landkreis-musterstadt.example")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))

# Celery: eager in the embedded mode, Redis in production.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="memory://")
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=CELERY_BROKER_URL == "memory://")
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
# max_retries 0: a web request fails over to the outbox at once when the broker is down, instead of
# sleeping through kombu's connection retries; the row waits for the re-drive (grants.outbox).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "max_retries": 0}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    # Side effects left undelivered (broker outage, failed attempt due again, dead worker).
    "outbox-redrive": {
        "task": "grants.outbox.redrive",
        "schedule": 60,
    },
    "settlement-reminders": {
        "task": "grants.tasks.send_settlement_reminders",
        "schedule": 24 * 60 * 60,
    },
    "case-retention": {
        "task": "integration_core.tasks.anonymise_expired_cases",
        "schedule": 24 * 60 * 60,
    },
}
# Case plans are anonymised this many months after the end of counselling (retention period).
CASE_RETENTION_MONTHS = env.int("CASE_RETENTION_MONTHS", default=24)

WAGTAIL_SITE_NAME = env.str("SITE_NAME", default="Förderportal Landkreis Musterstadt")
MFA_TOTP_ISSUER = WAGTAIL_SITE_NAME  # the name the authenticator app shows, not the host name
WAGTAILADMIN_BASE_URL = env.str("BASE_URL", default="http://127.0.0.1:8000")
# Nothing is loaded from elsewhere: no avatars from gravatar.com, no update check.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "odt", "csv"]
# Public documents pass the same content checks as applicants' uploads.
WAGTAILDOCS_DOCUMENT_FORM_BASE = "portal.forms.cms_documents.CheckedDocumentForm"
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024

CURRENCIES = ("EUR",)
DEFAULT_CURRENCY = "EUR"
CURRENCY_CHOICES = [("EUR", "€")]

# The district's own bank account, debtor of every payout file.
DISTRICT_NAME = env.str("DISTRICT_NAME", default="Landkreis Musterstadt")
DISTRICT_IBAN = env.str("DISTRICT_IBAN", default="DE02120300000000202051")
DISTRICT_BIC = env.str("DISTRICT_BIC", default="BYLADEM1001")
DISTRICT_ADDRESS = {
    "street": env.str("DISTRICT_STREET", default="Am Landratsamt"),
    "number": env.str("DISTRICT_HOUSE_NUMBER", default="1"),
    "postcode": env.str("DISTRICT_POSTCODE", default="76131"),
    "town": env.str("DISTRICT_TOWN", default="Musterstadt"),
    "country": "DE",
}
# Unit that signs letters; shown in letter heads.
DISTRICT_UNIT = env.str("DISTRICT_UNIT", default="Amt für Migration und Integration")
# Key of the keyed pseudonym (HMAC-SHA256) in the statistics extract: held by the statistics office's
# server only, never by case workers; a new key gives new pseudonyms (extracts can no longer be linked).
STATISTICS_PSEUDONYM_KEY = env.str("STATISTICS_PSEUDONYM_KEY", default="embedded-only-statistics-key-5e2a91c7")
# Small-count protection of the monitoring: the smallest count shown (3: counts of 1 and 2 are hidden), and for
# health and disability figures (4: counts up to 3 are hidden).
MONITORING_MIN_COUNT = env.int("MONITORING_MIN_COUNT", default=3)
MONITORING_MIN_COUNT_SENSITIVE = env.int("MONITORING_MIN_COUNT_SENSITIVE", default=4)

SENTRY_DSN = env.str("SENTRY_DSN", default="")
SENTRY_ENVIRONMENT = env.str("SENTRY_ENVIRONMENT", default="development")
SENTRY_RELEASE = env.str("SENTRY_RELEASE", default="foerderportal@0.1.0")

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp): nothing from elsewhere, no inline script without the response's
# nonce (templates use {{ request.csp_nonce }}; the Wagtail admin's inline initialisers get it from
# portal.security_headers, which also allows inline styles under /admin/ only).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}
# Permissions-Policy (django-permissions-policy): no device or payment APIs; WebAuthn (security keys,
# passkeys for the second factor) for this origin only.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "ambient-light-sensor": [],
    "autoplay": [],
    "bluetooth": [],
    "camera": [],
    "display-capture": [],
    "fullscreen": [],
    "geolocation": [],
    "gyroscope": [],
    "hid": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "publickey-credentials-create": ["self"],
    "publickey-credentials-get": ["self"],
    "screen-wake-lock": [],
    "serial": [],
    "usb": [],
    "xr-spatial-tracking": [],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # One line per eager task is noise in the embedded mode.
    "loggers": {
        "celery": {"level": env.str("CELERY_LOG_LEVEL", default="WARNING")},
        "django_tasks": {"level": "WARNING"},
    },
}

if SENTRY_DSN:
    from portal.observability import init_sentry

    init_sentry(dsn=SENTRY_DSN, environment=SENTRY_ENVIRONMENT, release=SENTRY_RELEASE)
