"""The project's Celery app, given a Redis broker, really publishes a task message there."""

import uuid

import pytest

pytestmark = [
    pytest.mark.redis,
    # The test settings run tasks eagerly; send_task publishes anyway and says so.
    pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored"),
]


def test_a_task_message_reaches_the_redis_queue(redis_url):
    import redis

    from portal.celery import app

    queue = f"test-grants-{uuid.uuid4().hex}"
    client = redis.Redis.from_url(redis_url)
    try:
        # The app's own connection settings (transport options, timeouts), only the broker URL
        # swapped: the app's global pool stays untouched for the other (eager) tests.
        with app.connection_for_write(redis_url) as connection, connection.Producer() as producer:
            result = app.send_task("grants.tasks.notify_event", args=[4711], queue=queue, producer=producer)
            assert client.llen(queue) == 1
            message = connection.SimpleQueue(queue, no_ack=True).get(timeout=2)
        assert message.headers["task"] == "grants.tasks.notify_event"
        assert message.headers["id"] == result.id
        assert message.payload[0] == [4711]  # ids only: (args, kwargs, embed)
        assert client.llen(queue) == 0
    finally:
        # The queue and kombu's binding keys for it (their prefix differs between kombu versions).
        client.delete(queue, *client.scan_iter(match=f"_kombu.binding*{queue}*"))
        client.close()
