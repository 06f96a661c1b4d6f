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

ROLE_LABELS = {
    APPLICANT: _("Antragsteller:in"),
    STAFF: _("Sachbearbeitung"),
    HEAD: _("Amtsleitung"),
    FINANCE: _("Kasse / Finanzen"),
    COMMITTEE: _("Ausschuss"),
}

_REVIEW = ["grants.review_application", "grants.view_application", "grants.approve_application"]
_ADMIN_ACCESS = ["wagtailadmin.access_admin"]
_PROGRAMMES = ["programmes.view_programme", "programmes.view_programmebudget", "integration_core.view_municipality"]
# Allocation runs (staffing key, formula allocations): staff and head compute and fix them, the others look.
_RUNS_ADD = ["programmes.add_allocationrun", "programmes.view_allocationrun"]
_RUNS_VIEW = ["programmes.view_allocationrun"]

ROLE_PERMISSIONS = {
    APPLICANT: [],
    STAFF: [
        *_ADMIN_ACCESS, *_REVIEW, *_PROGRAMMES, *_RUNS_ADD,
        "programmes.add_programme", "programmes.change_programme",
        "programmes.add_programmebudget", "programmes.change_programmebudget",
        "integration_core.change_municipality",
        "grants.check_settlement",
    ],
    HEAD: [*_ADMIN_ACCESS, *_REVIEW, *_PROGRAMMES, *_RUNS_ADD, "grants.approve_above_limit", "grants.check_settlement"],
    FINANCE: [*_ADMIN_ACCESS, *_PROGRAMMES, *_RUNS_VIEW, "grants.view_application", "grants.manage_payouts",
              "grants.record_refund"],
    COMMITTEE: [*_ADMIN_ACCESS, "grants.view_application", *_PROGRAMMES, *_RUNS_VIEW],
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
