"""Environment fixtures only: temporary file roots, a clean e-mail outbox, helpers for skips."""

import contextlib
import os

import pytest
from django.db import connection


def pytest_configure(config):
    # TEST_CLOCK=2027-03-28T00:30+01:00 runs the whole suite as if started at that moment (the clock
    # keeps ticking): CI runs it once more just after midnight on the March daylight-saving day, so a
    # UTC date taken for a Berlin date fails there.
    moment = os.environ.get("TEST_CLOCK")
    if moment:
        import time_machine

        config._test_clock = time_machine.travel(moment, tick=True)
        config._test_clock.start()


@pytest.fixture(autouse=True)
def _test_clock():
    # Each test starts at TEST_CLOCK again: the hour after midnight on which UTC and Berlin dates differ
    # would otherwise be over a few minutes into the run. (The session-wide travel above covers what the
    # test modules compute at import.)
    moment = os.environ.get("TEST_CLOCK")
    if not moment:
        yield
        return
    import time_machine

    with time_machine.travel(moment, tick=True):
        yield


def pytest_unconfigure(config):
    clock = getattr(config, "_test_clock", None)
    if clock is not None:
        clock.stop()


def pytest_report_header(config):
    moment = os.environ.get("TEST_CLOCK")
    return f"clock set to {moment} (TEST_CLOCK)" if moment else None


@pytest.fixture(autouse=True)
def _file_roots(settings, tmp_path_factory):
    # A folder of its own, so a test's tmp_path holds only what the test itself writes.
    roots = tmp_path_factory.mktemp("files")
    settings.MEDIA_ROOT = roots / "media"
    settings.PRIVATE_ROOT = roots / "private"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(roots / "private"), "base_url": None},
        },
    }
    from django.core.files.storage import storages

    # Storages are cached per process; drop the cached private one so the new root applies.
    storages._storages.pop("private", None)
    yield
    storages._storages.pop("private", None)


@pytest.fixture(autouse=True)
def _empty_cache():
    # Counters in the cache (rate limits) belong to one test: ids are reused once a test's rows roll back.
    from django.core.cache import cache

    def clear():
        # A test without database access raises here: the database cache holds nothing of it.
        with contextlib.suppress(RuntimeError):
            cache.clear()

    clear()
    yield
    clear()


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # Before pytest-django sorts the tests, so these transactional ones run after the others
    # (their flush empties the tables, including Wagtail's root page and the role groups).
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(pytest.mark.django_db(transaction=True))


@pytest.fixture
def require_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("braucht PostgreSQL (Zeilensperren); DATABASE_URL auf PostgreSQL setzen")
