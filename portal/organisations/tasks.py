"""E-mails of organisations: membership invitations and bank-detail changes; each task takes ids and is safe to run
twice."""

from celery import shared_task
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy

from grants import outbox
from grants.tasks import send_once

from .invitations import token_hash, unseal
from .models import BankDetailsChange, Invitation


@outbox.handler(gettext_lazy("Einladung in eine Organisation"))
@shared_task
def send_invitation_email(invitation_id: int, sealed_token: str) -> bool:
    """The one place an invitation e-mail is sent; once per invitation and token (a renewed link is a new mail).

    The outbox row holds the token sealed (see ``invitations.seal``): the database alone never yields a link.
    """
    token = unseal(sealed_token)
    invitation = Invitation.objects.select_related("organisation", "invited_by").get(pk=invitation_id)
    if invitation.token_hash != token_hash(token) or invitation.accepted_at or invitation.revoked_at:
        return False  # renewed, accepted or revoked meanwhile: this link would not work
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "invitation": invitation, "district": settings.DISTRICT_NAME,
            "link": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("portal:invitation_accept", args=[token]),
        }
        subject = render_to_string("portal/email/invitation_subject.txt", context).strip()
        body = render_to_string("portal/email/invitation_body.txt", context)
    return send_once(key=f"invitation:{invitation.pk}:{invitation.token_hash[:32]}", recipients=[invitation.email],
                     subject=subject, body=body)


@outbox.handler(gettext_lazy("Hinweis auf geänderte Bankverbindung"))
@shared_task
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
