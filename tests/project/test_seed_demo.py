"""seed_demo: every screen has something to show, it runs twice, and never outside demo mode."""

from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from grants.models import Application, Document, PayoutBatch
from grants.states import State
from integration_core.models import Municipality
from portal.accounts.models import User
from portal.accounts.roles import ROLE_PERMISSIONS
from portal.organisations.models import Organisation
from programmes.choices import ApplicantType

pytestmark = pytest.mark.django_db


def test_refuses_outside_demo_mode(settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="Demo-Modus"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_builds_a_district_with_applications_in_every_state_and_is_idempotent(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
    counts = (Municipality.objects.count(), Application.objects.count(), Organisation.objects.count())
    assert counts[0] >= 20
    assert Municipality.objects.filter(is_urban=True).count() >= 2
    assert set(Application.objects.values_list("state", flat=True)) == set(State.values)
    assert {o.applicant_type for o in Organisation.objects.all()} == set(ApplicantType.values)
    assert PayoutBatch.objects.filter(status=PayoutBatch.Status.EXECUTED).exists()
    assert Document.objects.filter(kind="approval").exists()
    roles = Counter(g for u in User.objects.prefetch_related("groups") for g in u.groups.values_list("name", flat=True))
    assert set(ROLE_PERMISSIONS) <= set(roles)
    assert User.objects.get(email="antrag@demo.example").check_password("demo")

    call_command("seed_demo")
    assert (Municipality.objects.count(), Application.objects.count(), Organisation.objects.count()) == counts
