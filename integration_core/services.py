"""The writes of integration_core: keyword-only, typed, one transaction each."""

import os
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from . import importers
from .importers import ImportFileError, ImportRow, LineMessage, Status
from .models import Municipality

CHANGE_MUNICIPALITY = "integration_core.change_municipality"


@dataclass
class ImportReport:
    """What ``population_import`` found and did: every line, the errors and warnings, the counts."""

    rows: list[ImportRow] = field(default_factory=list)
    file_errors: list[LineMessage] = field(default_factory=list)
    not_in_file: list[str] = field(default_factory=list)  # stored municipalities the file leaves unchanged
    dry_run: bool = False
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def errors(self) -> list[LineMessage]:
        per_line = [LineMessage(row.line, text) for row in self.rows for text in row.errors]
        return [*self.file_errors, *per_line]

    @property
    def warnings(self) -> list[LineMessage]:
        return [LineMessage(row.line, text) for row in self.rows for text in row.warnings]

    @property
    def updated(self) -> int:
        return sum(row.status == Status.UPDATE for row in self.rows)

    @property
    def unchanged(self) -> int:
        return sum(row.status == Status.UNCHANGED for row in self.rows)

    @property
    def warning_count(self) -> int:
        return len(self.warnings)


@transaction.atomic
def population_import(*, user, file, reference_date: date | None = None, dry_run: bool = False) -> ImportReport:
    """Update population and reference date of the municipalities listed in ``file`` (CSV or XLSX).

    All or nothing: if any line has an error the report lists every error line by line and the
    database is left as it was. ``dry_run`` checks and reports without writing (the preview).
    ``reference_date`` is used for lines without a date of their own and is required when the
    file has no "Stichtag" column. ``user=None`` means the command line (shell access is trusted);
    a user needs ``integration_core.change_municipality``.
    """
    if user is not None and not user.has_perm(CHANGE_MUNICIPALITY):
        raise PermissionDenied(_("Sie dürfen die Einwohnerzahlen nicht ändern."))
    report = ImportReport(dry_run=dry_run)
    try:
        table = importers.read_table(importers.read_upload(file))
    except ImportFileError as exc:
        report.file_errors = [LineMessage(exc.line, message) for message in exc.messages]
        return report
    if not table.has_reference_date and reference_date is None:
        report.file_errors = [LineMessage(None, _(
            "Die Datei hat keine Spalte „Stichtag“. Bitte geben Sie den Stichtag der Einwohnerzahlen beim Import an."
        ))]
        return report

    report.rows = importers.parse_rows(table, reference_date)
    listed = {row.ags for row in report.rows}
    municipalities = Municipality.objects.filter(ags__in=listed).order_by("pk")
    if not dry_run:
        municipalities = municipalities.select_for_update()  # locked before comparing, so the counts hold
    by_ags = {m.ags: m for m in municipalities}
    importers.match_rows(report.rows, by_ags)
    report.not_in_file = list(
        Municipality.objects.exclude(ags__in=listed).order_by("name").values_list("name", flat=True)
    )
    if report.ok and not dry_run:
        source = os.path.basename(getattr(file, "name", "") or "")
        importers.apply_rows(report.rows, by_ags, user=user, source=source)
        report.applied = True
    return report
