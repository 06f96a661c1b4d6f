"""E-mails about an organisation's bank details; each task takes ids and is safe to run twice."""

from celery import shared_task
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from grants.tasks import RETRY, send_once

from .models import BankDetailsChange


@shared_task(**RETRY)
def notify_bank_details_change(change_id: int) -> bool:
    """Every member learns of the change, so one who did not make it can object before it is confirmed."""
    change = BankDetailsChange.objects.select_related("organisation", "entered_by").get(pk=change_id)
    organisation = change.organisation
    recipients = sorted({e for e in organisation.members.values_list("email", flat=True) if e})
    with translation.override(settings.LANGUAGE_CODE):
        context = {"change": change, "organisation": organisation, "district": settings.DISTRICT_NAME,
                   "base_url": settings.WAGTAILADMIN_BASE_URL}
        subject = render_to_string("organisations/email/bank_change_subject.txt", context).strip()
        body = render_to_string("organisations/email/bank_change_body.txt", context)
    return send_once(key=f"bank-change:{change.pk}", recipients=recipients, subject=subject, body=body)
