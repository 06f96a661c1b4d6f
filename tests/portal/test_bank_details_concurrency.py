"""Two people confirm the same bank-details change at the same moment: it is confirmed once.

PostgreSQL only (row locks), one connection per thread, a barrier so both start together.
Run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/fp_bank.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from portal.organisations.models import BankDetailsChange
from portal.organisations.services import bank_details_confirm, organisation_update
from tests.factories import MembershipFactory, OrganisationFactory, role_user

pytestmark = [pytest.mark.postgres, pytest.mark.usefixtures("require_postgres")]
NEW = "DE75512108001245126199"


def run_together(*calls):
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def work(index, call):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = call()
        except Exception as exc:  # the test judges every outcome
            outcomes[index] = exc
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=work, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def test_confirming_twice_at_once_confirms_once():
    organisation = OrganisationFactory()
    member = MembershipFactory(organisation=organisation, user=role_user("Antragsteller")).user
    organisation_update(user=member, organisation_id=organisation.pk,
                        data={"iban": NEW, "bic": "", "account_holder": "Neu e. V."})
    change = BankDetailsChange.objects.get()
    first, second = role_user("Finanzen"), role_user("Finanzen")

    outcomes = run_together(lambda: bank_details_confirm(user=first, change_id=change.pk),
                            lambda: bank_details_confirm(user=second, change_id=change.pk))

    confirmed = [o for o in outcomes if isinstance(o, BankDetailsChange)]
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert (len(confirmed), len(refused)) == (1, 1), outcomes
    assert "bereits bestätigt" in refused[0].messages[0]
    change.refresh_from_db()
    organisation.refresh_from_db()
    assert change.status == "confirmed"
    assert change.decided_by == confirmed[0].decided_by
    assert (organisation.iban, organisation.pending_iban, organisation.account_holder) == (NEW, "", "Neu e. V.")


def test_a_new_entry_and_a_confirmation_at_once_never_confirm_the_newer_account_unseen():
    """The confirmation holds the organisation's lock: the newer entry either replaces the change before it is
    confirmed (confirmation refused) or comes after it (and waits as a new change)."""
    organisation = OrganisationFactory()
    member = MembershipFactory(organisation=organisation, user=role_user("Antragsteller")).user
    organisation_update(user=member, organisation_id=organisation.pk,
                        data={"iban": NEW, "bic": "", "account_holder": "Neu e. V."})
    change = BankDetailsChange.objects.get()
    finance = role_user("Finanzen")
    newer = "DE02120300000000202051"

    run_together(lambda: bank_details_confirm(user=finance, change_id=change.pk),
                 lambda: organisation_update(user=member, organisation_id=organisation.pk,
                                             data={"iban": newer, "bic": "", "account_holder": "Neuer e. V."}))

    organisation.refresh_from_db()
    assert organisation.iban in (NEW, "DE89370400440532013000")
    assert organisation.iban != newer
    assert organisation.pending_iban == newer
    assert BankDetailsChange.objects.filter(status="pending").count() == 1
