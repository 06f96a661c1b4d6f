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
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
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
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Förderportal] "
ACCOUNT_ADAPTER = "portal.accounts.adapter.AccountAdapter"

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
        "OPTIONS": {"location": str(PRIVATE_ROOT), "base_url": None},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024

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
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
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
WAGTAILADMIN_BASE_URL = env.str("BASE_URL", default="http://127.0.0.1:8000")
# Nothing is loaded from elsewhere: no avatars from gravatar.com, no update check.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "odt", "csv"]
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
