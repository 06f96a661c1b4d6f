"""Building blocks every letter shares: escaped paragraphs, address, information block, legal texts.

``para`` is the only way text reaches a paragraph: it escapes the whole
string, so applicant input such as ``<b>`` or ``&`` is printed, never
interpreted. Our own texts therefore carry no markup either; emphasis comes
from styles.
"""

from datetime import date, datetime
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from djmoney.money import Money
from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from programmes.rules import format_eur

from .layout import INFO_WIDTH, TEXT_WIDTH, build_pdf, format_iban, styles

LINE = HexColor("#9a9a9a")
SHADE = HexColor("#eeeeee")
AMOUNT_WIDTH = 40 * mm
LABEL_WIDTH = 60 * mm


def para(text, style: str = "body") -> Paragraph:
    """A paragraph of plain text: markup characters escaped, line breaks kept."""
    safe = escape(str(text or "")).replace("\r\n", "\n").replace("\n", "<br/>")
    return Paragraph(safe, styles()[style])


def heading(text) -> Paragraph:
    return para(text, "heading")


def fmt_date(value: date | datetime | None) -> str:
    if value is None:
        return "–"
    if isinstance(value, datetime):
        value = timezone.localdate(value)
    return value.strftime("%d.%m.%Y")


def day_of(moment: datetime | None) -> date:
    """The local calendar day of a stored moment; today for letters rendered before the decision."""
    return timezone.localdate(moment) if moment else timezone.localdate()


def eur(money: Money | None) -> str:
    return format_eur(money) if money is not None else "–"


def address_block(organisation) -> list:
    lines = [organisation.name]
    if organisation.contact_name:
        lines.append(_("z. Hd. %(name)s") % {"name": organisation.contact_name})
    lines += organisation.address_lines
    if organisation.country and organisation.country.upper() != "DE":
        lines.append(organisation.country.upper())
    return [para(line, "address") for line in lines]


def info_block(rows: list[tuple[str, str]]) -> list:
    table = Table(
        [[para(label, "info"), para(value, "info")] for label, value in rows],
        colWidths=[28 * mm, INFO_WIDTH - 28 * mm],
        hAlign="LEFT",
    )
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
    ]))
    return [table]


def standard_info(application, letter_date: date) -> list[tuple[str, str]]:
    return [
        (_("Aktenzeichen"), application.file_number or "–"),
        (_("Ihr Antrag vom"), fmt_date(application.submitted_at)),
        (_("Dienststelle"), settings.DISTRICT_UNIT),
        (_("Datum"), fmt_date(letter_date)),
    ]


def _table(data, col_widths, header: bool, bold_rows: list[int]) -> Table:
    table = Table(data, colWidths=col_widths, hAlign="LEFT", repeatRows=1 if header else 0)
    commands = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, LINE),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    commands += [("BACKGROUND", (0, row), (-1, row), SHADE) for row in bold_rows]
    table.setStyle(TableStyle(commands))
    return table


def money_table(rows: list[tuple[str, str, bool]], header: tuple[str, str] | None = None) -> Table:
    """Label/amount rows with amounts right-aligned; the third value makes a row bold (totals)."""
    data, bold_rows = [], []
    if header:
        data.append([para(header[0], "cell_bold"), para(header[1], "cell_right_bold")])
        bold_rows.append(0)
    for label, amount, bold in rows:
        if bold:
            bold_rows.append(len(data))
        data.append([para(label, "cell_bold" if bold else "cell"),
                     para(amount, "cell_right_bold" if bold else "cell_right")])
    return _table(data, [TEXT_WIDTH - AMOUNT_WIDTH, AMOUNT_WIDTH], bool(header), bold_rows)


def facts_table(rows: list[tuple[str, str, bool]]) -> Table:
    """Label/value rows for names, dates and account details: values left-aligned with room to wrap."""
    data = [[para(label, "cell_bold" if bold else "cell"), para(value, "cell_bold" if bold else "cell")]
            for label, value, bold in rows]
    bold_rows = [index for index, (_label, _value, bold) in enumerate(rows) if bold]
    return _table(data, [LABEL_WIDTH, TEXT_WIDTH - LABEL_WIDTH], False, bold_rows)


def legal_remedies() -> list:
    address = settings.DISTRICT_ADDRESS
    text = _(
        "Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Widerspruch erhoben werden. "
        "Der Widerspruch ist schriftlich oder zur Niederschrift einzulegen bei: %(district)s, %(unit)s, "
        "%(street)s %(number)s, %(postcode)s %(town)s."
    ) % {"district": settings.DISTRICT_NAME, "unit": settings.DISTRICT_UNIT, **address}
    return [KeepTogether([heading(_("Rechtsbehelfsbelehrung")), para(text)])]


def signature(signer) -> list:
    name = signer.get_full_name() if signer is not None else ""
    lines = [Spacer(1, 6), para(_("Mit freundlichen Grüßen")), para(_("Im Auftrag"))]
    if name:
        lines.append(para(name))
    lines.append(para(_("Dieses Schreiben wurde elektronisch erstellt und ist ohne Unterschrift gültig."), "small"))
    return [KeepTogether(lines)]


def subject_lines(kind_label: str, application) -> list:
    return [
        para(kind_label, "subject"),
        para(_("Förderprogramm „%(programme)s“ – Vorhaben „%(title)s“") % {
            "programme": application.programme.name, "title": application.title}, "subject"),
        Spacer(1, 8),
    ]


def district_account_lines(file_number: str) -> list[tuple[str, str]]:
    return [
        (_("Empfänger"), settings.DISTRICT_NAME),
        (_("IBAN"), format_iban(settings.DISTRICT_IBAN)),
        (_("BIC"), settings.DISTRICT_BIC),
        (_("Verwendungszweck"), file_number),
    ]


def letter(*, application, title: str, letter_date: date, body: list) -> bytes:
    """Frame ``body`` with address, information block and page furniture."""
    return build_pdf(
        title=f"{title} {application.file_number or ''}".strip(),
        address=address_block(application.organisation),
        info=info_block(standard_info(application, letter_date)),
        body=body,
    )

