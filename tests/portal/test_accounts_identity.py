"""The e-mail address is the one identifier: any number of people register, case never makes a second account."""

import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from portal.accounts.models import User
from tests.factories import UserFactory, role_user

pytestmark = pytest.mark.django_db

PASSWORD = "Sonnenblume-Brücke-42"


def _confirm_path(message) -> str:
    match = re.search(r"https?://[^/\s]+(/konto/confirm-email/[^\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def _sign_up_and_confirm(client: Client, email: str) -> None:
    response = client.post(reverse("account_signup"), {"email": email, "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert mail.outbox[-1].to == [email.lower()]
    confirmed = client.post(_confirm_path(mail.outbox[-1]))
    assert confirmed.status_code == 302


def test_fifty_associations_sign_up_one_after_another_and_all_can_log_in():
    for number in range(50):
        # Each from its own address, as 50 associations would (the sign-up limit counts per address).
        _sign_up_and_confirm(Client(REMOTE_ADDR=f"10.0.0.{number + 1}"), f"verein{number}@example.org")

    assert User.objects.filter(email__startswith="verein").count() == 50
    for number in range(50):
        client = Client(REMOTE_ADDR=f"10.1.0.{number + 1}")
        response = client.post(reverse("account_login"), {"login": f"verein{number}@example.org", "password": PASSWORD})
        assert response["Location"] == reverse("portal:dashboard"), number
        assert client.get(reverse("portal:dashboard")).status_code == 200


def test_an_address_differing_only_by_case_cannot_sign_up_again():
    UserFactory(email="foo@x.de")
    client = Client()
    response = client.post(reverse("account_signup"),
                           {"email": "Foo@x.de", "password1": PASSWORD, "password2": PASSWORD})
    # allauth does not tell strangers whether an address is registered: same answer, a mail to the owner.
    assert response.status_code == 302
    assert User.objects.filter(email__iexact="foo@x.de").count() == 1
    assert "bereits ein Konto" in mail.outbox[-1].body


def test_the_database_refuses_a_case_variant_written_around_the_model():
    UserFactory(email="foo@x.de")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([User(email="Foo@X.de")])


def test_addresses_are_stored_in_lower_case_and_log_in_in_any_case():
    user = User.objects.create_user(email="  Erika.Muster@Verein.DE ", password=PASSWORD)
    assert user.email == "erika.muster@verein.de"
    assert not hasattr(user, "username") or user.username is None
    assert User.objects.get_by_natural_key("ERIKA.MUSTER@verein.de") == user
    assert Client().login(username="Erika.Muster@VEREIN.de", password=PASSWORD)
    admin = User.objects.create_superuser(email="Admin@Kreis.de", password=PASSWORD)
    assert (admin.email, admin.is_staff, admin.is_superuser) == ("admin@kreis.de", True, True)


def test_wagtail_user_admin_creates_and_edits_users_by_address():
    admin = UserFactory(is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(admin)
    group = Group.objects.get_or_create(name="Sachbearbeitung")[0]
    form = {"email": "Neu.Kollegin@Kreis.de", "first_name": "Nina", "last_name": "Neu", "password1": PASSWORD,
            "password2": PASSWORD, "groups": [group.pk]}
    response = client.post(reverse("wagtailusers_users:add"), form)
    assert response.status_code == 302, response.content.decode()[-3000:]
    created = User.objects.get(email="neu.kollegin@kreis.de")
    assert list(created.groups.all()) == [group]

    again = client.post(reverse("wagtailusers_users:add"), {**form, "email": "NEU.kollegin@kreis.de"})
    assert again.status_code == 200
    assert "bereits ein Konto" in again.content.decode()
    assert User.objects.filter(email__iexact="neu.kollegin@kreis.de").count() == 1

    edit = client.post(reverse("wagtailusers_users:edit", args=[created.pk]),
                       {"email": "Nina.Neu@Kreis.de", "first_name": "Nina", "last_name": "Neu", "is_active": "on",
                        "groups": [group.pk]})
    assert edit.status_code == 302, edit.content.decode()[-3000:]
    created.refresh_from_db()
    assert created.email == "nina.neu@kreis.de"
    assert client.get(reverse("wagtailusers_users:index")).status_code == 200


def test_role_users_from_the_factory_have_no_user_name():
    user = role_user("Sachbearbeitung", email="Sb@Kreis.de")
    assert user.email == "sb@kreis.de"
    assert user.get_username() == "sb@kreis.de"
    assert "username" not in {field.name for field in User._meta.get_fields()}
