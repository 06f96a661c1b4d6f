"""What a submission needs: bounds, start date, window, eligibility — refused in plain German."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from grants.models import Application, ApplicationEvent
from grants.services import applications
from grants.states import State
from programmes.choices import ApplicantType
from tests.factories import MembershipFactory, OrganisationFactory, ProgrammeFactory, make_application, role_user

pytestmark = pytest.mark.django_db


def _submit(app, user):
    return applications.application_submit(user=user, application_id=app.pk)


def _refused_with(app, user, message):
    with pytest.raises(ValidationError) as refused:
        _submit(app, user)
    assert message in refused.value.messages
    app = Application.objects.get(pk=app.pk)
    assert (app.state, app.file_number, app.submitted_at) == (State.DRAFT, None, None)
    assert not ApplicationEvent.objects.filter(application=app).exists()


@pytest.mark.parametrize(("amount", "message"), [
    ("199.99", "Der beantragte Betrag von 199,99 € liegt unter dem Mindestbetrag von 200,00 €."),
    ("3000.01", "Der beantragte Betrag von 3.000,01 € liegt über dem Höchstbetrag von 3.000,00 €."),
])
def test_amounts_outside_the_bounds_are_refused_with_a_german_message(amount, message):
    applicant = role_user("Antragsteller")
    _refused_with(make_application(amount=amount, member=applicant), applicant, message)


@pytest.mark.parametrize("amount", ["200.00", "3000.00"])
def test_amounts_on_the_bounds_pass(amount):
    applicant = role_user("Antragsteller")
    app = _submit(make_application(amount=amount, member=applicant), applicant)
    assert (app.state, str(app.requested_amount.amount)) == (State.SUBMITTED, amount)


def test_own_and_third_party_funds_reduce_the_requested_amount_below_the_minimum():
    applicant = role_user("Antragsteller")
    app = make_application(amount="1000.00", member=applicant)
    applications.application_update(
        user=applicant, application_id=app.pk, data={"own_funds": "500.00", "third_party_funds": "300.01"}
    )
    _refused_with(app, applicant, "Der beantragte Betrag von 199,99 € liegt unter dem Mindestbetrag von 200,00 €.")


EARLY = ("Der Beginn liegt vor dem Antragsdatum. Beantragen Sie den vorzeitigen Maßnahmebeginn "
         "oder verschieben Sie den Beginn.")


def test_a_start_before_the_application_date_needs_early_start():
    applicant = role_user("Antragsteller")
    yesterday = timezone.localdate() - timedelta(days=1)
    _refused_with(make_application(member=applicant, planned_start=yesterday), applicant, EARLY)


def test_early_start_needs_a_reason():
    applicant = role_user("Antragsteller")
    app = make_application(member=applicant, planned_start=timezone.localdate() - timedelta(days=1),
                           early_start_requested=True)
    _refused_with(app, applicant, "Begründen Sie den vorzeitigen Maßnahmebeginn.")


def test_early_start_with_a_reason_allows_a_start_in_the_past():
    applicant = role_user("Antragsteller")
    app = make_application(member=applicant, planned_start=timezone.localdate() - timedelta(days=10),
                           early_start_requested=True, early_start_reason="Honorarvertrag musste gebunden werden.")
    assert _submit(app, applicant).state == State.SUBMITTED


def test_a_start_today_needs_no_early_start():
    applicant = role_user("Antragsteller")
    app = make_application(member=applicant, planned_start=timezone.localdate())
    assert _submit(app, applicant).state == State.SUBMITTED


def test_a_closed_window_refuses_submission():
    applicant = role_user("Antragsteller")
    closed = ProgrammeFactory(code="ZU", opens_on=date(2024, 1, 1), closes_on=date(2024, 3, 31))
    app = make_application(member=applicant, programme=closed)
    _refused_with(app, applicant, "Das Antragsfenster ist geschlossen (offen vom 01.01.2024 bis 31.03.2024).")


def test_a_window_not_yet_open_refuses_submission():
    applicant = role_user("Antragsteller")
    later = ProgrammeFactory(code="SP", opens_on=date(2098, 1, 1), closes_on=date(2098, 12, 31))
    with pytest.raises(ValidationError, match="Antragsfenster ist geschlossen"):
        _submit(make_application(member=applicant, programme=later), applicant)


def test_an_ineligible_applicant_type_cannot_create_an_application():
    applicant = role_user("Antragsteller")
    programme = ProgrammeFactory(code="KOM", eligible_applicant_types=[ApplicantType.MUNICIPALITY])
    organisation = OrganisationFactory(applicant_type=ApplicantType.ASSOCIATION)
    MembershipFactory(organisation=organisation, user=applicant)
    with pytest.raises(ValidationError, match="nicht zu den Antragsberechtigten"):
        applications.application_create(user=applicant, organisation=organisation, programme=programme, title="Fest")
    assert not Application.objects.exists()


def test_an_ineligible_applicant_type_cannot_submit_a_draft():
    """The programme narrowed its applicants after the draft was started."""
    applicant = role_user("Antragsteller")
    app = make_application(member=applicant)
    app.programme.eligible_applicant_types = [ApplicantType.MUNICIPALITY]
    app.programme.save()
    _refused_with(app, applicant, "Ihre Organisation gehört nicht zu den Antragsberechtigten dieses Programms.")


def test_everything_missing_is_listed_at_once():
    applicant = role_user("Antragsteller")
    app = make_application(member=applicant, summary="", declaration_privacy=False)
    with pytest.raises(ValidationError) as refused:
        _submit(app, applicant)
    assert refused.value.messages == [
        "Beschreiben Sie das Vorhaben kurz.", "Bestätigen Sie alle Erklärungen am Ende des Antrags.",
    ]


def test_the_file_number_counts_per_programme_and_year():
    applicant = role_user("Antragsteller")
    first = _submit(make_application(member=applicant), applicant)
    second = _submit(make_application(member=applicant), applicant)
    year = timezone.localdate().year
    assert (first.file_number, second.file_number) == (f"II-IMP-{year}-0001", f"II-IMP-{year}-0002")


def test_the_file_number_year_is_the_local_year(monkeypatch):
    """00:30 on New Year's Day in Berlin is still 31 December in UTC: the number must say the new year."""
    new_year = datetime(2027, 1, 1, 0, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    monkeypatch.setattr(timezone, "now", lambda: new_year.astimezone(ZoneInfo("UTC")))
    applicant = role_user("Antragsteller")
    app = make_application(member=applicant, planned_start=date(2027, 2, 1), planned_end=date(2027, 3, 1))
    assert _submit(app, applicant).file_number == "II-IMP-2027-0001"
