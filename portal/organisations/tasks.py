"""Side effects of memberships: the invitation e-mail."""

from celery import shared_task
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from grants.tasks import RETRY, send_once

from .invitations import token_hash
from .models import Invitation


@shared_task(**RETRY)
def send_invitation_email(invitation_id: int, token: str) -> bool:
    """The one place an invitation e-mail is sent; once per invitation and token (a renewed link is a new mail)."""
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
