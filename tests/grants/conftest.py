"""Environment fixtures for the grants tests: a Redis server for tests marked ``redis``."""

import os

import pytest

DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


def _redis_answers(url: str) -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5).ping())
    except (redis.RedisError, OSError):
        return False


@pytest.fixture
def redis_url():
    return os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL


@pytest.fixture(autouse=True)
def _skip_without_redis(request):
    if request.node.get_closest_marker("redis") is None:
        return
    url = request.getfixturevalue("redis_url")
    if not _redis_answers(url):
        pytest.skip(f"braucht Redis: unter {url} antwortet niemand (REDIS_URL setzen)")


@pytest.fixture
def fake_letter(monkeypatch):
    """A stand-in for the PDF renderer (tested with the letters): records each rendering."""
    rendered = []

    def render(application, kind):
        rendered.append((application.pk, kind))
        return b"%PDF-1.4 " + f"{application.file_number} {kind}".encode()

    monkeypatch.setattr("grants.letters.render_letter", render)
    return rendered
