"""Scheduled work of integration_core. Tasks take ids (or nothing) and are safe to run twice."""

import logging

from celery import shared_task

log = logging.getLogger(__name__)


@shared_task
def anonymise_expired_cases() -> int:
    """Daily (beat "case-retention"): anonymise every case past the retention period; returns how many.

    Each case in its own transaction; a case that fails is reported (log, Sentry, admin home page) and
    the others go on (``cases.anonymise.anonymise_due_cases``).
    """
    from .cases.anonymise import anonymise_due_cases

    done, failed = anonymise_due_cases()
    if done:
        log.info("anonymised %d case(s) after the retention period", done)
    if failed:
        log.warning("%d case(s) could not be anonymised; see the admin home page", failed)
    return done
