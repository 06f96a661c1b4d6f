"""The roles of the portal as Django groups and the permissions each holds.

Permissions are declared on the models (``grants.Application.Meta``); a role is
just a named bundle of them, kept here in one place.
"""

from django.utils.translation import gettext_lazy as _

APPLICANT = "Antragsteller"
STAFF = "Sachbearbeitung"
HEAD = "Leitung"
FINANCE = "Finanzen"
COMMITTEE = "Ausschuss"
# Integration counselling (integration_core.cases). Which cases a case worker or lead sees is decided by
# their ProviderMembership; the group only grants the kind of access.
CASE_WORKER = "Fallbearbeitung"
CASE_LEAD = "Fallleitung"
DATA_PROTECTION = "Datenschutz"
STATISTICS = "Statistik"
# The statistics office receives the row-level (pseudonymised) extract; «Statistik» sees aggregated figures only.
STATISTICS_OFFICE = "Statistikstelle"

ROLE_LABELS = {
    APPLICANT: _("Antragsteller:in"),
    STAFF: _("Sachbearbeitung"),
    HEAD: _("Amtsleitung"),
    FINANCE: _("Kasse / Finanzen"),
    COMMITTEE: _("Ausschuss"),
    CASE_WORKER: _("Integrationsmanager:in"),
    CASE_LEAD: _("Fallleitung Integrationsmanagement"),
    DATA_PROTECTION: _("Datenschutz"),
    STATISTICS: _("Statistik / Koordinierende Stelle"),
    STATISTICS_OFFICE: _("Statistikstelle (pseudonymisierter Auszug)"),
}

_REVIEW = ["grants.review_application", "grants.view_application", "grants.approve_application"]
_ADMIN_ACCESS = ["wagtailadmin.access_admin"]
_PROGRAMMES = ["programmes.view_programme", "programmes.view_programmebudget", "programmes.view_programmelogentry",
               "integration_core.view_municipality"]
# Money-deciding settings and budgets (programmes.terms): the head of unit; staff change only the other settings.
_MONEY_TERMS = ["programmes.add_programme", "programmes.change_programme", "programmes.change_money_terms",
                "programmes.add_programmebudget", "programmes.change_programmebudget"]
# Allocation runs (staffing key, formula allocations): staff and head compute and fix them, the others look.
_RUNS_ADD = ["programmes.add_allocationrun", "programmes.view_allocationrun"]
_RUNS_VIEW = ["programmes.view_allocationrun"]
# The municipality dashboard and yearly indicator table (aggregated, suppressed figures only).
_STATISTICS_VIEW = ["integration_core.view_case_statistics"]
# Case plans: case workers and leads keep them (scope by provider membership, see integration_core.cases.access).
_CASEWORK = [
    "integration_core.view_case", "integration_core.add_case", "integration_core.change_case",
    "integration_core.handover_case", "integration_core.view_provider",
    "integration_core.view_competences", "integration_core.add_competences", "integration_core.change_competences",
    "integration_core.view_goal", "integration_core.add_goal", "integration_core.change_goal",
    "integration_core.delete_goal",
    "integration_core.view_reportingstatus", "integration_core.add_reportingstatus",
    "integration_core.change_reportingstatus",
    "integration_core.view_consent", "integration_core.add_consent", "integration_core.change_consent",
]

# Committee work: staff prepare meetings and record the committee's resolutions (the committee decides).
_COMMITTEE_WORK = ["grants.manage_meetings", "grants.view_meeting", "grants.record_committee_decision"]
# The base-rate table for interest on refunds (§ 49a VwVfG) is kept by staff.
_BASE_RATES = ["programmes.view_baserate", "programmes.add_baserate", "programmes.change_baserate"]

ROLE_PERMISSIONS = {
    APPLICANT: [],
    STAFF: [
        *_ADMIN_ACCESS, *_REVIEW, *_PROGRAMMES, *_RUNS_ADD, *_STATISTICS_VIEW,
        "programmes.change_programme",
        "integration_core.change_municipality",
        "grants.check_settlement", *_COMMITTEE_WORK, *_BASE_RATES,
    ],
    HEAD: [*_ADMIN_ACCESS, *_REVIEW, *_PROGRAMMES, *_RUNS_ADD, *_MONEY_TERMS, "grants.approve_above_limit",
           "grants.check_settlement",
           *_COMMITTEE_WORK, *_BASE_RATES, *_STATISTICS_VIEW],
    FINANCE: [*_ADMIN_ACCESS, *_PROGRAMMES, *_RUNS_VIEW, "grants.view_application", "grants.manage_payouts",
              "grants.record_refund", "organisations.confirm_bank_details"],
    COMMITTEE: [*_ADMIN_ACCESS, "grants.view_application", *_PROGRAMMES, *_RUNS_VIEW, "grants.view_meeting"],
    CASE_WORKER: [*_CASEWORK],
    CASE_LEAD: [*_CASEWORK, "integration_core.extend_case"],
    # Sees who read which case, never the case itself.
    # Decides an administrator's proposals to grant or remove case access (integration_core.cases.assignments).
    DATA_PROTECTION: [*_ADMIN_ACCESS, "integration_core.view_casereadlog", "integration_core.view_providermembership",
                      "integration_core.view_accessproposal", "integration_core.decide_accessproposal"],
    # Aggregated, suppressed figures only; no case permission, no row-level data.
    STATISTICS: [*_ADMIN_ACCESS, *_STATISTICS_VIEW, "integration_core.view_municipality"],
    # The statistics office: the same figures plus the pseudonymised row-level extract (personal data,
    # even pseudonymised), for the few people who produce the office's own tables from it.
    STATISTICS_OFFICE: [*_ADMIN_ACCESS, *_STATISTICS_VIEW, "integration_core.export_case_statistics",
                        "integration_core.view_municipality"],
}


def sync_roles(**kwargs) -> None:
    """Create the role groups and give each exactly its permissions (idempotent)."""
    from django.contrib.auth.models import Group, Permission

    for role, codes in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        wanted = []
        for code in codes:
            app_label, codename = code.split(".")
            wanted.extend(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)
