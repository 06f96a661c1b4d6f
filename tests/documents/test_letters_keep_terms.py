"""A letter states the terms the application was recommended under, not a later change of the programme."""

import pytest

from grants.letters import render_letter
from grants.models import DocumentKind
from programmes.models import Programme
from tests.documents.helpers import pdf_text

pytestmark = pytest.mark.django_db


def test_the_approval_letter_reads_the_snapshot(approved):
    application = approved(amount="1200.00")
    # Changed after the decision: share financing, payout on call-off.
    Programme.objects.filter(pk=application.programme_id).update(financing_type="share", payout_mode="call_off")
    application.refresh_from_db()
    text = pdf_text(render_letter(application, DocumentKind.APPROVAL))
    assert "Festbetragsfinanzierung" in text
    assert "in einer Summe" in text
    assert "Mittelabruf" not in text
    # Without the snapshot the letter would follow the changed programme: the test can fail.
    application.decision_terms = None
    assert "Mittelabruf" in pdf_text(render_letter(application, DocumentKind.APPROVAL))
