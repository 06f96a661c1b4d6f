"""Membership by invitation, probed as an attacker would: the link, the address, the role, another organisation."""

import json
import re
from datetime import timedelta
from html import escape

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from grants.models import OutboxMessage
from portal.organisations.invitations import invitation_create, token_hash
from portal.organisations.models import Invitation, Membership
from tests.factories import MembershipFactory, UserFactory, role_user

pytestmark = pytest.mark.django_db

LINK = re.compile(r"/portal/einladung/([^/\s]+)/")


@pytest.fixture
def organisation(member):
    return MembershipFactory(user=member).organisation


@pytest.fixture(autouse=True)
def _after_commit(django_capture_on_commit_callbacks):
    # The test's transaction never commits: run the after-commit callbacks (the e-mail) as a commit would.
    global _capture
    _capture = django_capture_on_commit_callbacks


_capture = None


def _invite(client, member, organisation, email):
    client.force_login(member)
    with _capture(execute=True):
        return client.post(reverse("portal:member_invite", args=[organisation.pk]), {"email": email}, follow=True)


def _token_from_mail(address):
    message = next(m for m in reversed(mail.outbox) if m.to == [address])
    return LINK.search(message.body).group(1)


def _accept_url(token):
    return reverse("portal:invitation_accept", args=[token])


def test_the_invited_person_joins_by_opening_the_link_and_confirming(client, member, organisation):
    invitee = role_user("Antragsteller", email="kollegin@example.org")
    _invite(client, member, organisation, "Kollegin@Example.org")
    token = _token_from_mail("kollegin@example.org")
    invitation = Invitation.objects.get(organisation=organisation)
    assert invitation.token_hash == token_hash(token)
    assert token not in invitation.token_hash
    assert "Landkreis" in mail.outbox[-1].body
    assert "14" not in invitation.email
    client.force_login(invitee)
    page = client.get(_accept_url(token))
    assert page.status_code == 200
    assert escape(organisation.name) in page.content.decode()
    assert not organisation.members.filter(pk=invitee.pk).exists()  # opening the link alone joins nobody
    client.post(_accept_url(token))
    assert organisation.members.filter(pk=invitee.pk).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == invitee
    assert invitation.accepted_at is not None


def test_the_answer_is_the_same_whether_or_not_the_address_is_registered(client, member, organisation):
    UserFactory(email="registriert@example.org")

    def normalised(response, address):
        html = response.content.decode().replace(address, "ADRESSE")
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
        return re.sub(r"/einladungen/\d+/", "/einladungen/N/", html)

    registered = _invite(client, member, organisation, "registriert@example.org")
    first = normalised(registered, "registriert@example.org")
    Invitation.objects.all().delete()
    unregistered = _invite(client, member, organisation, "unbekannt@example.org")
    second = normalised(unregistered, "unbekannt@example.org")
    assert registered.status_code == unregistered.status_code == 200
    assert registered.redirect_chain == unregistered.redirect_chain
    assert first == second
    assert [m.to for m in mail.outbox] == [["registriert@example.org"], ["unbekannt@example.org"]]


def test_someone_else_opening_the_link_is_refused_and_nothing_changes(client, member, organisation):
    _invite(client, member, organisation, "kollegin@example.org")
    token = _token_from_mail("kollegin@example.org")
    stranger = role_user("Antragsteller", email="fremd@example.org")
    client.force_login(stranger)
    for response in (client.get(_accept_url(token)), client.post(_accept_url(token))):
        assert response.status_code == 403
        assert "andere E-Mail-Adresse" in response.content.decode()
        assert "kollegin@example.org" not in response.content.decode()
    assert not organisation.members.filter(pk=stranger.pk).exists()
    assert Invitation.objects.get().accepted_at is None


def test_the_link_needs_a_login(client, member, organisation):
    _invite(client, member, organisation, "kollegin@example.org")
    client.logout()
    token = _token_from_mail("kollegin@example.org")
    assert client.post(_accept_url(token))["Location"].startswith(reverse("account_login"))
    assert Membership.objects.filter(organisation=organisation).count() == 1


def test_an_expired_invitation_is_refused(client, member, organisation):
    invitee = role_user("Antragsteller", email="kollegin@example.org")
    _invite(client, member, organisation, "kollegin@example.org")
    token = _token_from_mail("kollegin@example.org")
    invitation = Invitation.objects.get()
    assert abs(invitation.expires_at - invitation.created_at - timedelta(days=14)) < timedelta(seconds=5)
    client.force_login(invitee)
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post(_accept_url(token))
    assert response.status_code == 403
    assert "abgelaufen" in response.content.decode()
    assert not organisation.members.filter(pk=invitee.pk).exists()
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=invitation.expires_at)
    with time_machine.travel(timezone.now() + timedelta(days=13, hours=23)):
        client.force_login(invitee)
        client.post(_accept_url(token))
    assert organisation.members.filter(pk=invitee.pk).exists()


def test_a_revoked_invitation_is_refused(client, member, organisation):
    invitee = role_user("Antragsteller", email="kollegin@example.org")
    _invite(client, member, organisation, "kollegin@example.org")
    token = _token_from_mail("kollegin@example.org")
    invitation = Invitation.objects.get()
    assert "kollegin@example.org" in client.get(reverse("portal:organisation_detail", args=[organisation.pk])
                                                ).content.decode()
    client.post(reverse("portal:invitation_revoke", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.revoked_by == member
    client.force_login(invitee)
    response = client.post(_accept_url(token))
    assert response.status_code == 403
    assert "zurückgezogen" in response.content.decode()
    assert not organisation.members.filter(pk=invitee.pk).exists()


def test_a_used_link_works_once(client, member, organisation):
    invitee = role_user("Antragsteller", email="kollegin@example.org")
    _invite(client, member, organisation, "kollegin@example.org")
    token = _token_from_mail("kollegin@example.org")
    client.force_login(invitee)
    client.post(_accept_url(token))
    organisation.memberships.filter(user=invitee).delete()  # removed later: the old link does not bring them back
    response = client.post(_accept_url(token))
    assert response.status_code == 403
    assert "bereits angenommen" in response.content.decode()
    assert not organisation.members.filter(pk=invitee.pk).exists()


def test_an_unknown_or_crafted_token_is_refused(client, member):
    client.force_login(member)
    for path in ("/portal/einladung/x/", f"/portal/einladung/{'A' * 43}/", "/portal/einladung/%2e%2e%2fadmin/",
                 f"/portal/einladung/{'x' * 5000}/"):
        response = client.post(path)
        assert response.status_code in (403, 404)
    assert Membership.objects.count() == 0


@pytest.mark.parametrize("kind", ["Sachbearbeitung", "Leitung", "Finanzen", "Ausschuss", "Datenschutz",
                                  "Fallbearbeitung", "is_staff", "superuser"])
def test_staff_can_never_join_an_applicant_organisation(client, member, organisation, kind):
    address = "amt@example.org"
    if kind == "is_staff":
        invitee = UserFactory(email=address, is_staff=True)
    elif kind == "superuser":
        invitee = UserFactory(email=address, is_staff=True, is_superuser=True)
    else:
        invitee = role_user(kind, email=address)
    _invite(client, member, organisation, address)
    token = _token_from_mail(address)
    client.force_login(invitee)
    assert "befangen" in client.get(_accept_url(token)).content.decode()
    response = client.post(_accept_url(token))
    assert response.status_code == 403
    assert "befangen" in response.content.decode()
    assert not organisation.members.filter(pk=invitee.pk).exists()
    assert Invitation.objects.get().accepted_at is None
    invitee.refresh_from_db()
    assert not invitee.groups.filter(name="Antragsteller").exists() or kind == "Antragsteller"


def test_another_organisations_member_cannot_revoke(client, member, organisation, outsider):
    invitation = invitation_create(user=member, organisation_id=organisation.pk, email="kollegin@example.org")
    client.force_login(outsider)
    assert client.post(reverse("portal:invitation_revoke", args=[invitation.pk])).status_code == 404
    from django.core.exceptions import PermissionDenied

    from portal.organisations.invitations import invitation_revoke

    outsider_org = outsider.memberships.get().organisation_id
    for organisation_id in (organisation.pk, outsider_org):
        with pytest.raises(PermissionDenied):
            invitation_revoke(user=outsider, organisation_id=organisation_id, invitation_id=invitation.pk)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_one_open_invitation_per_address_and_a_renewal_replaces_the_link(client, member, organisation):
    from django.db import IntegrityError, transaction

    first = invitation_create(user=member, organisation_id=organisation.pk, email="kollegin@example.org")
    old_hash = first.token_hash
    again = invitation_create(user=member, organisation_id=organisation.pk, email="KOLLEGIN@example.org")
    assert again.pk == first.pk
    assert again.token_hash != old_hash
    assert Invitation.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(organisation=organisation, email="Kollegin@Example.org", invited_by=member,
                                  token_hash="f" * 64, expires_at=timezone.now())


def test_a_renewed_invitation_kills_the_old_link(client, member, organisation):
    invitee = role_user("Antragsteller", email="kollegin@example.org")
    _invite(client, member, organisation, "kollegin@example.org")
    old = _token_from_mail("kollegin@example.org")
    _invite(client, member, organisation, "kollegin@example.org")
    new = _token_from_mail("kollegin@example.org")
    assert old != new
    assert len(mail.outbox) == 2
    client.force_login(invitee)
    assert client.post(_accept_url(old)).status_code == 403
    client.post(_accept_url(new))
    assert organisation.members.filter(pk=invitee.pk).exists()


def test_the_invitation_mail_goes_out_once(member, organisation, django_capture_on_commit_callbacks):
    from portal.organisations.invitations import seal
    from portal.organisations.tasks import send_invitation_email

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitation = invitation_create(user=member, organisation_id=organisation.pk, email="kollegin@example.org")
    assert len(callbacks) == 1
    callbacks[0]()
    token = _token_from_mail("kollegin@example.org")
    assert send_invitation_email(invitation.pk, seal(token)) is False  # a second delivery sends nothing
    # The outbox row holds the link's token sealed only.
    assert token not in json.dumps(OutboxMessage.objects.get(key__startswith="invitation:").payload)
    assert len(mail.outbox) == 1


def test_inviting_a_current_member_says_so(client, member, organisation):
    colleague = role_user("Antragsteller", email="drin@example.org")
    MembershipFactory(user=colleague, organisation=organisation)
    response = _invite(client, member, organisation, "drin@example.org")
    assert "gehört der Organisation bereits an" in response.content.decode()
    assert not Invitation.objects.exists()
