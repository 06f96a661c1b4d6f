"""A formula programme (Soforthilfe) in the applicant portal: posts and contact instead of a cost plan, the run's
figures on the detail page once decided, increases with their letters, and the Verzicht."""

import hashlib
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from grants.models import Application, Document, DocumentKind, GrantIncrease
from grants.services.allocations import allocation_fix, allocation_issue_decisions, allocation_plan
from grants.services.applications import PostData, application_update
from grants.states import State
from programmes.choices import ApplicantType
from programmes.models import ProgrammeBudget
from tests.factories import MembershipFactory, OrganisationFactory
from tests.formula.builder import Staff, applicant, formula_programme, municipality

from .helpers import PDF_BYTES

pytestmark = pytest.mark.django_db

FTE_ERROR = "Der Stellenumfang muss zwischen 0,01 und 1,00 VZÄ liegen"
FORMULA_FIELDS = {
    "title", "summary", "planned_start", "planned_end", "early_start_requested", "early_start_reason",
    "contact_name", "contact_email", "contact_phone", "declaration_truthful", "declaration_not_started",
    "declaration_privacy", "declaration_conditions",
}


@pytest.fixture
def programme():
    return formula_programme(pot="90000.00")


@pytest.fixture
def organisation(member):
    organisation = OrganisationFactory(
        name="Gemeinde Adorf", applicant_type=ApplicantType.MUNICIPALITY,
        seat_municipality=municipality("Adorf", 10000),
        contact_name="Pat Muster", contact_email="integration@adorf.example",
    )
    MembershipFactory(user=member, organisation=organisation)
    return organisation


def new_url(programme):
    return reverse("portal:application_create", args=[programme.code])


def form_data(*, action="save", rows=(("Integrationsmanagement", "0,5"),), extra_rows=1, **overrides) -> dict:
    start = timezone.localdate() + timedelta(days=14)
    data = {
        "action": action, "title": "Integrationsmanagement 2026", "summary": "Beratung in der Anschlussunterbringung.",
        "planned_start": start.isoformat(), "planned_end": (start + timedelta(days=364)).isoformat(),
        "contact_name": "Pat Muster", "contact_email": "integration@adorf.example", "contact_phone": "07031 1234",
        "declaration_truthful": "on", "declaration_not_started": "on", "declaration_privacy": "on",
        "declaration_conditions": "on",
        "stellen-TOTAL_FORMS": str(len(rows) + extra_rows), "stellen-INITIAL_FORMS": "0",
    }
    for i, (title, fte) in enumerate(rows):
        data[f"stellen-{i}-title"], data[f"stellen-{i}-fte"] = title, fte
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def field_names(html: str) -> set[str]:
    form = html.split('class="form-stack"')[1].split("</form>")[0]
    return set(re.findall(r'name="([^"]+)"', form)) - {"csrfmiddlewaretoken", "action"}


def error_summary(html: str) -> str:
    return html.split('id="error-summary"')[1].split("</ul>")[0]


def test_form_asks_exactly_the_formula_fields(member_client, programme, organisation):
    html = member_client.get(new_url(programme)).content.decode()
    names = field_names(html)
    rows = {name for name in names if name.startswith("stellen-")}
    assert names - rows == FORMULA_FIELDS
    # Three empty rows without JavaScript, each with title, FTE and "remove"; no cost plan, place or activity.
    assert {"stellen-TOTAL_FORMS", "stellen-0-title", "stellen-0-fte", "stellen-2-fte", "stellen-2-DELETE"} <= rows
    assert 'name="stellen-TOTAL_FORMS" value="3"' in html
    assert "kosten-" not in html
    assert "Kostenplan" not in html
    # The contact starts as the organisation's; the rule on the post size is explained.
    assert 'value="integration@adorf.example"' in html
    assert "0,50 Vollzeitäquivalenten" in html


def test_posts_and_contact_are_saved(member_client, programme, organisation):
    data = form_data(rows=(("Integrationsmanagerin", "1"), ("Sprachmittlung", "0,25"), ("", "")),
                     contact_phone="07031 99")
    response = member_client.post(new_url(programme), data)
    application = Application.objects.get(organisation=organisation)
    assert response.status_code == 302
    assert [(p.title, p.fte) for p in application.posts.all()] == [
        ("Integrationsmanagerin", Decimal("1.00")), ("Sprachmittlung", Decimal("0.25"))]
    assert (application.contact_name, application.contact_email, application.contact_phone) == (
        "Pat Muster", "integration@adorf.example", "07031 99")
    assert application.cost_lines.count() == 0
    assert application.requested_amount.amount == Decimal("0.00")
    # Editing again shows the stored posts, German style, and replaces them.
    page = member_client.get(reverse("portal:application_edit", args=[application.pk])).content.decode()
    assert 'value="0,25"' in page
    member_client.post(reverse("portal:application_edit", args=[application.pk]),
                       form_data(rows=(("Integrationsmanagement", "0,75"),)))
    assert [(p.title, p.fte) for p in application.posts.all()] == [("Integrationsmanagement", Decimal("0.75"))]


@pytest.mark.parametrize("fte", ["1,5", "0", "-0,5", "0,505", "halbe"])
def test_bad_fte_is_refused_in_german_and_nothing_is_saved(member_client, programme, organisation, fte):
    response = member_client.post(new_url(programme), form_data(rows=(("Integrationsmanagement", fte),)))
    assert response.status_code == 200
    summary = error_summary(response.content.decode())
    assert "Stelle 1, Stellenumfang (VZÄ)" in summary
    assert any(text in summary for text in (FTE_ERROR, "höchstens zwei Nachkommastellen", "als Zahl"))
    assert 'href="#id_stellen-0-fte"' in summary
    assert not Application.objects.exists()


def test_a_row_with_title_but_no_fte_is_refused(member_client, programme, organisation):
    response = member_client.post(new_url(programme), form_data(rows=(("Integrationsmanagement", ""),)))
    assert "Geben Sie den Stellenumfang dieser Stelle an." in error_summary(response.content.decode())
    assert not Application.objects.exists()


def test_service_replaces_posts_all_or_nothing(programme, organisation, member):
    staff = Staff()
    application = applicant(programme, staff, name="Bedorf", population=5000, check=False)
    application = Application.objects.get(pk=application.pk)
    Application.objects.filter(pk=application.pk).update(state=State.DRAFT)
    with pytest.raises(ValidationError) as error:
        application_update(user=application.created_by, application_id=application.pk, data={"title": "Neu"},
                           posts=[PostData("Gut", Decimal("0.50")), PostData("Zu groß", Decimal("1.20"))])
    assert FTE_ERROR in str(error.value)
    application.refresh_from_db()
    assert application.title != "Neu"
    assert [p.fte for p in application.posts.all()] == [Decimal("0.50")]


def test_submit_works_when_complete(member_client, programme, organisation):
    response = member_client.post(new_url(programme), form_data(action="submit"))
    application = Application.objects.get(organisation=organisation)
    assert response.status_code == 302
    assert application.state == State.SUBMITTED
    assert application.file_number.startswith("II-SOF-")


def test_submit_without_a_post_names_what_is_missing(member_client, programme, organisation):
    response = member_client.post(new_url(programme), form_data(action="submit", rows=()), follow=True)
    application = Application.objects.get(organisation=organisation)
    assert application.state == State.DRAFT
    summary = error_summary(response.content.decode())
    assert "Geben Sie mindestens eine geförderte Stelle mit ihrem Stellenumfang an." in summary
    assert "Kostenplan" not in summary


def test_add_row_without_javascript_saves_nothing(member_client, programme, organisation):
    response = member_client.post(new_url(programme), form_data(action="add_line", extra_rows=0))
    html = response.content.decode()
    assert 'name="stellen-TOTAL_FORMS" value="2"' in html
    assert 'id="id_stellen-1-title"' in html
    assert 'value="Integrationsmanagement"' in html
    assert 'id="error-summary"' not in html
    assert not Application.objects.exists()


def _decided(programme):
    """Three applicants, one below 0.5 FTE, a fixed run, the decisions issued: returns the applications."""
    staff = Staff()
    apps = [applicant(programme, staff, name="Cestadt", population=20000, ftes=("1.00",)),
            applicant(programme, staff, name="Dedorf", population=10000, ftes=("0.50",)),
            applicant(programme, staff, name="Efeld", population=30000, ftes=("0.40",))]
    year = ProgrammeBudget.objects.get(programme=programme).year
    plan = allocation_plan(user=staff.clerk, programme_id=programme.pk, year=year)
    run = allocation_fix(user=staff.clerk, programme_id=programme.pk, year=year,
                         expected_hash=plan.preview.input_hash)
    allocation_issue_decisions(user=staff.head, run_id=run.pk)
    return staff, run, [Application.objects.get(pk=a.pk) for a in apps]


def test_detail_shows_posts_contact_and_the_runs_figures(client, programme):
    _, run, (cestadt, _, efeld) = _decided(programme)
    client.force_login(cestadt.created_by)
    html = client.get(reverse("portal:application_detail", args=[cestadt.pk])).content.decode()
    assert "Integrationsmanager:in 1" in html
    assert "1,00" in html
    assert "Pat Muster" in html
    assert "integration@example.org" in html
    assert "60.000,00 €" in html  # 90,000 € by 20,000 : 10,000
    assert "66,67 %" in html
    assert run.hash_prefix in html
    assert "31.12.2025" in html
    assert "Verzicht erklären" in html
    client.force_login(efeld.created_by)
    html = client.get(reverse("portal:application_detail", args=[efeld.pk])).content.decode()
    assert "Stellenumfang unter dem Mindestumfang" in html
    assert "Verzicht erklären" not in html


def test_detail_lists_increases_with_their_letters(client, programme):
    staff, run, (cestadt, _, _) = _decided(programme)
    increase = GrantIncrease.objects.create(application=cestadt, allocation_run=run, amount=("1234.50", "EUR"),
                                            created_by=staff.head)
    document = Document(application=cestadt, kind=DocumentKind.AMENDMENT, increase=increase,
                        sha256=hashlib.sha256(PDF_BYTES).hexdigest())
    document.file.save("letter.pdf", ContentFile(PDF_BYTES), save=False)
    document.save()
    client.force_login(cestadt.created_by)
    html = client.get(reverse("portal:application_detail", args=[cestadt.pk])).content.decode()
    assert "Erhöhungen der Zuwendung" in html
    assert "1.234,50 €" in html
    assert reverse("portal:document_download", args=[document.pk]) in html


def test_member_declines_an_approved_grant(client, programme):
    _, _, (cestadt, _, _) = _decided(programme)
    client.force_login(cestadt.created_by)
    url = reverse("portal:application_decline", args=[cestadt.pk])
    page = client.get(url).content.decode()
    assert "Grund für den Verzicht" in page
    response = client.post(url, {"reason": "  "})
    assert response.status_code == 200
    assert "Bitte geben Sie an, warum Sie auf die Zuwendung verzichten." in response.content.decode()
    cestadt.refresh_from_db()
    assert cestadt.state == State.APPROVED
    response = client.post(url, {"reason": "Die Stelle kann nicht besetzt werden."}, follow=True)
    cestadt.refresh_from_db()
    assert cestadt.state == State.WITHDRAWN
    assert cestadt.events.last().action == "decline"
    html = response.content.decode()
    assert "Sie haben auf die Zuwendung verzichtet." in html
    assert "Verzicht erklärt" in html


def test_decline_is_only_offered_for_an_approved_grant(member_client, member, programme, organisation):
    member_client.post(new_url(programme), form_data(action="submit"))
    application = Application.objects.get(organisation=organisation)
    url = reverse("portal:application_decline", args=[application.pk])
    response = member_client.post(url, {"reason": "Versehen"})
    assert response["Location"] == reverse("portal:application_detail", args=[application.pk])
    application.refresh_from_db()
    assert application.state == State.SUBMITTED


def test_outsider_gets_404(outsider_client, programme):
    _, _, (cestadt, _, _) = _decided(programme)
    for name in ("application_detail", "application_decline", "application_edit"):
        url = reverse(f"portal:{name}", args=[cestadt.pk])
        assert outsider_client.get(url).status_code == 404
        assert outsider_client.post(url, {"reason": "Fremd"}).status_code == 404
    cestadt.refresh_from_db()
    assert cestadt.state == State.APPROVED
