"""Side effects that are never lost: a transactional outbox delivered through Celery.

A side effect (an e-mail, a letter, a ZIP of letters …) is written as an ``OutboxMessage`` row in the same
transaction as the change it follows. After the commit the row is handed to Celery at once; if the broker is
down, nothing is raised to the user and the row simply waits. The beat task ``grants.outbox.redrive`` (every
minute) delivers every row still undelivered, so a broker outage delays a side effect but never loses it.

Using it — two steps:

1. The effect is a Celery task taking ids (JSON values) that is safe to run twice (an e-mail through
   ``grants.tasks.send_once`` under a unique key, a document under a unique constraint). Mark it as a handler::

       from celery import shared_task
       from grants import outbox

       @outbox.handler(_("Hinweis auf geänderte Bankverbindung"))   # the label staff see on their home page
       @shared_task
       def send_bank_change_notice(change_id: int) -> bool:
           ...
           return send_once(key=f"bank-change:{change_id}", recipients=..., subject=..., body=...)

   Put it in the app's ``tasks.py``; the worker imports those at start.

2. In the service, inside its ``transaction.atomic``, enqueue it instead of ``on_commit(… .delay(…))``::

       outbox.enqueue(tasks.send_bank_change_notice, key=f"bank-change:{change.pk}",
                      target=str(organisation), change_id=change.pk)

   ``key`` names the effect once and for all: a second enqueue under the same key writes nothing (so a
   repeated request or job queues nothing twice). ``target`` says, for staff, what the effect is about. The
   keyword arguments are the task's keyword arguments. A rollback removes the row with the change.

Delivery: a worker claims a row under a row lock (``select_for_update(skip_locked=True)``) and leases it by
moving ``next_attempt_at`` past the longest run of a task, so two workers (or the re-drive and the dispatch
after commit) never run the same row at once. A handler that raises is retried with exponential backoff
(1, 2, 4 … 60 minutes, then hourly), its error kept on the row; the handler sees the number of earlier
attempts as ``self.request.retries`` (bound tasks), as under Celery's own retry. Staff roles see rows
undelivered for more than ten minutes on the admin home page (``grants.admin.outbox_panel``).

In the embedded mode (eager Celery) the task runs right after the commit in the request, as before.

Why our own and not a library: the maintained Django outbox packages either need a broker of their own
(STOMP, Faktory, Kafka), or PostgreSQL only (the embedded default is SQLite), or (django-celery-outbox) replace
the Celery app and relay rows to the broker from a separate daemon, deleting them once *published* — which
tells neither whether the effect happened nor what failed, and staff must see both.
"""

import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from .models import OutboxMessage

log = logging.getLogger(__name__)

# Longer than any task may run (the worker's CELERY_TASK_TIME_LIMIT and the re-drive's own limit below):
# a row whose worker died is picked up again once this has passed.
LEASE = timedelta(minutes=20)
BACKOFF_CAP = timedelta(hours=1)
# Staff are shown what has waited longer than this.
OVERDUE_AFTER = timedelta(minutes=10)
# One re-drive starts no new row after this many seconds; the next one (a minute later) goes on.
REDRIVE_BUDGET_SECONDS = 60


@dataclass(frozen=True)
class Handler:
    task: object
    label: str


_HANDLERS: dict[str, Handler] = {}


def handler(label):
    """Register a Celery task as the handler of outbox rows of its kind (the task's name)."""

    def register(task):
        _HANDLERS[task.name] = Handler(task=task, label=label)
        return task

    return register


def enqueue(task, *, key: str, target: str | None = "", **payload) -> tuple[OutboxMessage, bool]:
    """Write the side effect ``task(**payload)`` into the current transaction; deliver it after the commit.

    Returns the row and whether this call wrote it (False: a row under ``key`` exists already).
    """
    if task.name not in _HANDLERS:
        raise LookupError(f"{task.name} ist kein Outbox-Handler (@outbox.handler fehlt)")
    message, created = OutboxMessage.objects.get_or_create(
        key=key, defaults={"kind": task.name, "payload": payload, "target": str(target or "")[:200]})
    if created:
        transaction.on_commit(lambda: dispatch(message.pk))
    return message, created


def dispatch(message_id: int) -> None:
    """Hand a committed row to Celery; if the broker does not answer the row waits for the re-drive."""
    try:
        # retry=False: fail at once instead of holding the user's request while kombu retries the broker.
        deliver.apply_async(args=[message_id], retry=False)
    except Exception:
        # Whatever went wrong (broker down, or an eager run failing outside the handler), the change is
        # committed and the row stays pending: logging is enough, the re-drive delivers it later.
        log.warning("Folgeaktion %s bleibt vorgemerkt (Broker nicht erreichbar?)", message_id, exc_info=True)


@shared_task(name="grants.outbox.deliver", ignore_result=True)
def deliver(message_id: int) -> bool:
    return deliver_message(message_id)


@shared_task(name="grants.outbox.redrive", ignore_result=True, time_limit=15 * 60, soft_time_limit=14 * 60)
def redrive(limit: int = 500) -> int:
    """Every minute (beat): deliver what is due — left by a broker outage, a failure, or a dead worker."""
    started, delivered = time.monotonic(), 0
    due = OutboxMessage.objects.due(timezone.now()).order_by("next_attempt_at", "pk")
    for message_id in list(due.values_list("pk", flat=True)[:limit]):
        if time.monotonic() - started > REDRIVE_BUDGET_SECONDS:
            break
        delivered += deliver_message(message_id)
    return delivered


def deliver_message(message_id: int) -> bool:
    """Claim the row and run its handler; True if this call delivered it."""
    message = _claim(message_id)
    if message is None:
        return False  # delivered already, leased by another worker, or waiting out its backoff
    try:
        _run(message)
    except Exception as exc:
        log.exception("Folgeaktion %s (%s) fehlgeschlagen, Versuch %s", message.key, message.kind, message.attempts)
        OutboxMessage.objects.filter(pk=message.pk).update(
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            next_attempt_at=timezone.now() + backoff(message.attempts),
        )
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(delivered_at=timezone.now())
    return True


def backoff(attempts: int) -> timedelta:
    """Wait after the ``attempts``-th failed attempt: 1, 2, 4 … minutes, at most an hour."""
    return min(timedelta(minutes=2 ** min(attempts - 1, 10)), BACKOFF_CAP)


def _claim(message_id: int) -> OutboxMessage | None:
    now = timezone.now()
    with transaction.atomic():
        message = (OutboxMessage.objects.select_for_update(skip_locked=True)
                   .due(now).filter(pk=message_id).first())
        if message is None:
            return None
        message.attempts += 1
        message.next_attempt_at = now + LEASE
        message.save(update_fields=["attempts", "next_attempt_at"])
    return message


def _run(message: OutboxMessage) -> None:
    task = handler_for(message.kind).task
    # As Celery does for a direct call, plus the number of earlier attempts (``self.request.retries``).
    task.push_request(args=(), kwargs=message.payload, retries=message.attempts - 1)
    try:
        task.run(**message.payload)
    finally:
        task.pop_request()


def handler_for(kind: str) -> Handler:
    if kind not in _HANDLERS:
        # A worker imports every app's tasks at start; a web process may not have yet.
        import_module(kind.rpartition(".")[0])
    try:
        return _HANDLERS[kind]
    except KeyError:
        raise LookupError(f"Kein Outbox-Handler für {kind}") from None


def label_for(kind: str) -> str:
    """What staff read for a kind: the handler's label, else the technical name."""
    try:
        return handler_for(kind).label
    except (LookupError, ImportError):
        return kind


def overdue(now=None):
    """Undelivered rows older than ``OVERDUE_AFTER``, oldest first: what staff should look into."""
    now = now or timezone.now()
    return OutboxMessage.objects.undelivered().filter(created_at__lte=now - OVERDUE_AFTER).order_by("created_at")
