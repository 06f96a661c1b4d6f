"""Production settings refuse to start without their secrets; Sentry only with a DSN and without personal data."""

import os
import subprocess
import sys
from pathlib import Path

import sentry_sdk

from portal.observability import init_sentry

ROOT = Path(__file__).resolve().parents[2]
PRINT_DEBUG = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"


def _import_production(**env):
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "SALT_KEY",
                                                           "STATISTICS_PSEUDONYM_KEY"}}
    clean.update(env, DJANGO_SETTINGS_MODULE="portal.settings.production")
    return subprocess.run(  # noqa: S603 - fixed interpreter and arguments
        [sys.executable, "-c", PRINT_DEBUG],
        cwd=ROOT, env=clean, capture_output=True, text=True, check=False,
    )


def test_production_requires_secret_key():
    result = _import_production(ALLOWED_HOSTS="x.example", DATABASE_URL="postgres://u@h/db", CELERY_BROKER_URL="redis://h")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_starts_with_its_variables_and_debug_off():
    result = _import_production(
        SECRET_KEY="x" * 50, ALLOWED_HOSTS="x.example", DATABASE_URL="postgres://u@h/db", CELERY_BROKER_URL="redis://h",
        SALT_KEY="s" * 20, STATISTICS_PSEUDONYM_KEY="k" * 40,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


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
