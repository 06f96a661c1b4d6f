"""Production: PostgreSQL, Redis, real secrets; refuses to start without them."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env

DEBUG = False
DEMO_MODE = False
SECRET_KEY = env.str("SECRET_KEY")
SALT_KEY = env.list("SALT_KEY")  # no default: case data must not be encrypted with the embedded salt
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = False
# Rate limits are counted in the cache; every process must see the same counts.
REDIS_URL = env.str("REDIS_URL")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL,
                      "KEY_PREFIX": "foerderportal"}}
# Links in mails point here; without BASE_URL the first allowed host over https.
WAGTAILADMIN_BASE_URL = env.str("BASE_URL", default=f"https://{ALLOWED_HOSTS[0]}")
# Behind one TLS-terminating load balancer: the client is the last address it appends to X-Forwarded-For.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=1)
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Behind a TLS-terminating load balancer.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
# includeSubDomains and preload bind every host of the district's domain to HTTPS (preload: for months,
# in the browsers' built-in list), so the operator switches them on deliberately; off by default.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# check --deploy warns about each of the two while off; off is the documented default, not an oversight.
SILENCED_SYSTEM_CHECKS = [
    *([] if SECURE_HSTS_INCLUDE_SUBDOMAINS else ["security.W005"]),
    *([] if SECURE_HSTS_PRELOAD else ["security.W021"]),
]
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https"
SENTRY_ENVIRONMENT = env.str("SENTRY_ENVIRONMENT", default="production")
# No default: pseudonyms made with the embedded key could be recomputed by anyone reading the code.
STATISTICS_PSEUDONYM_KEY = env.str("STATISTICS_PSEUDONYM_KEY")

# Staff see other people's data and move money: never without a second factor.
MFA_ENFORCED = env.bool("MFA_ENFORCED", default=True)
if not MFA_ENFORCED:
    raise ImproperlyConfigured("MFA_ENFORCED must stay on in production: staff roles need a second factor.")
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False
