"""Scheduled work of integration_core. Tasks take ids (or nothing) and are safe to run twice."""

import logging

from celery import shared_task

log = logging.getLogger(__name__)


@shared_task
def anonymise_expired_cases() -> int:
    """Daily (beat "case-retention"): anonymise every case past the retention period; returns how many."""
    from .cases.anonymise import case_anonymise, cases_due_for_anonymisation

    done = 0
    for case_id in list(cases_due_for_anonymisation().values_list("pk", flat=True)):
        # One transaction per case: a failure leaves the others done, the next run picks it up again.
        done += case_anonymise(case_id=case_id)
    if done:
        log.info("anonymised %d case(s) after the retention period", done)
    return done
