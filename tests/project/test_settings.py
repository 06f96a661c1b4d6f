"""Production settings refuse to start without their secrets; Sentry only with a DSN and without personal data."""

import os
import subprocess
import sys
from pathlib import Path

import sentry_sdk

from portal.observability import init_sentry

ROOT = Path(__file__).resolve().parents[2]
PRINT_DEBUG = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"


def _import_production(code=PRINT_DEBUG, module="portal.settings.production", **env):
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "SALT_KEY",
                                                           "STATISTICS_PSEUDONYM_KEY", "REDIS_URL", "BASE_URL"}}
    clean.update(env, DJANGO_SETTINGS_MODULE=module)
    return subprocess.run(  # noqa: S603 - fixed interpreter and arguments
        [sys.executable, "-c", code],
        cwd=ROOT, env=clean, capture_output=True, text=True, check=False,
    )


def test_production_requires_secret_key():
    result = _import_production(ALLOWED_HOSTS="x.example", DATABASE_URL="postgres://u@h/db", CELERY_BROKER_URL="redis://h")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_starts_with_its_variables_and_debug_off():
    result = _import_production(
        SECRET_KEY="x" * 50, ALLOWED_HOSTS="x.example", DATABASE_URL="postgres://u@h/db", CELERY_BROKER_URL="redis://h",
        SALT_KEY="s" * 20, STATISTICS_PSEUDONYM_KEY="k" * 40, REDIS_URL="redis://h/1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


PRODUCTION = {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "foerderportal.kreis.de", "DATABASE_URL": "postgres://u@h/db",
              "CELERY_BROKER_URL": "redis://h", "SALT_KEY": "s" * 20, "STATISTICS_PSEUDONYM_KEY": "k" * 40}
PRINT_CACHE = ("import django; django.setup(); from django.conf import settings; "
               "print(settings.CACHES['default']['BACKEND'], settings.WAGTAILADMIN_BASE_URL)")


def test_production_requires_redis_for_the_shared_cache():
    result = _import_production(**PRODUCTION)
    assert result.returncode != 0
    assert "REDIS_URL" in result.stderr
    result = _import_production(PRINT_CACHE, **PRODUCTION, REDIS_URL="redis://h/1")
    assert result.returncode == 0, result.stderr
    # Links in mails: the first allowed host over https unless BASE_URL says otherwise.
    assert result.stdout.split() == ["django.core.cache.backends.redis.RedisCache", "https://foerderportal.kreis.de"]


def test_the_embedded_cache_is_shared_by_processes_never_per_process_memory():
    embedded = _import_production(PRINT_CACHE, module="portal.settings.base")
    assert embedded.returncode == 0, embedded.stderr
    assert embedded.stdout.split()[0] == "django.core.cache.backends.db.DatabaseCache"
    with_redis = _import_production(PRINT_CACHE, module="portal.settings.base", REDIS_URL="redis://h/1")
    assert with_redis.stdout.split()[0] == "django.core.cache.backends.redis.RedisCache"


def test_sentry_is_tagged_and_sends_no_personal_data():
    init_sentry(dsn="https://public@sentry.example/1", environment="staging", release="foerderportal@1.2.3")
    try:
        options = sentry_sdk.get_client().options
        collection = options["data_collection"]
        assert collection["user_info"] is False
        assert collection["http_bodies"] == []
        assert collection["stack_frame_variables"] is False
        assert options["environment"] == "staging"
        assert options["release"] == "foerderportal@1.2.3"
    finally:
        sentry_sdk.init(dsn=None)


def test_embedded_defaults(settings):
    assert settings.LANGUAGE_CODE == "de"
    assert settings.TIME_ZONE == "Europe/Berlin"
    assert settings.CELERY_TASK_ALWAYS_EAGER is True
