"""Starting text for the pages ``ensure_site_tree`` creates, for the fictitious Landkreis Musterstadt.

Editors replace it in the Wagtail admin. Programme texts name no amounts or dates on purpose:
those are shown from the Programme itself and must not be copied into editorial text.
"""

from datetime import date

from django.conf import settings
from django.utils.html import escape
from django.utils.translation import gettext as _

from programmes.models import Programme

CONTACT_EMAIL = "foerderung@landkreis-musterstadt.example"


def _heading(text: str, level: str = "h2") -> dict:
    return {"type": "heading", "value": {"text": text, "level": level}}


def _paragraph(*sentences: str) -> dict:
    return {"type": "paragraph", "value": "".join(f"<p>{escape(s)}</p>" for s in sentences)}


def _list(*items: str, ordered: bool = False) -> dict:
    return {"type": "list", "value": {"ordered": ordered, "items": list(items)}}


def _address_lines() -> list[str]:
    address = settings.DISTRICT_ADDRESS
    return [
        _("Landratsamt %(district)s") % {"district": settings.DISTRICT_NAME.removeprefix("Landkreis ")},
        f"{address['street']} {address['number']}",
        f"{address['postcode']} {address['town']}",
    ]


def home_intro() -> str:
    return "<p>{}</p><p>{}</p>".format(
        escape(_(
            "Der %(district)s fördert Vereine, Initiativen, Netzwerke und Kreiskommunen, die sich für "
            "Integration, interkulturelle Öffnung und gegen Rassismus und Diskriminierung einsetzen."
        ) % {"district": settings.DISTRICT_NAME}),
        escape(_(
            "Hier finden Sie die Förderprogramme mit ihren Bedingungen und stellen Ihren Antrag online – "
            "vom ersten Entwurf bis zum Verwendungsnachweis."
        )),
    )


def programme_index_intro() -> str:
    return "<p>{}</p>".format(escape(_(
        "Alle Förderprogramme des Landkreises auf einen Blick. Bei jedem Programm sehen Sie, wie viel Sie "
        "beantragen können, wer antragsberechtigt ist und bis wann Anträge möglich sind."
    )))


def programme_body(programme: Programme) -> list[dict]:
    return [
        _heading(_("So läuft die Förderung ab")),
        _list(
            _("Sie registrieren sich im Portal und legen das Profil Ihrer Organisation an."),
            _("Sie füllen den Antrag online aus. Sie können jederzeit als Entwurf speichern."),
            _("Wir prüfen Ihren Antrag und melden uns, falls etwas fehlt."),
            _("Sie erhalten einen schriftlichen Bescheid. Die Auszahlung richtet sich nach den Angaben oben."),
            _("Nach dem Projekt reichen Sie den Verwendungsnachweis im Portal ein."),
            ordered=True,
        ),
        _heading(_("Beratung")),
        {"type": "paragraph", "value": '<p>{} <a href="mailto:{mail}">{mail}</a></p>'.format(
            escape(_(
                "Sie haben Fragen zu %(programme)s oder sind unsicher, ob Ihr Vorhaben passt? Das %(unit)s "
                "berät Sie gern vor der Antragstellung:"
            ) % {"programme": programme.name, "unit": settings.DISTRICT_UNIT}),
            mail=CONTACT_EMAIL,
        )},
    ]


def accessibility_statement(*, today: date) -> dict:
    return {
        "conformity_status": "partial",
        "non_accessible_content": "<ul><li>{}</li><li>{}</li></ul>".format(
            escape(_(
                "Bescheide und andere erzeugte PDF-Dokumente sind noch nicht vollständig barrierefrei. "
                "Auf Wunsch senden wir Ihnen den Inhalt in einer zugänglichen Form."
            )),
            escape(_("Nicht alle Programmseiten liegen bereits in Leichter Sprache vor.")),
        ),
        "prepared_on": today,
        "assessment_method": _("Selbstbewertung durch den Landkreis"),
        "feedback_contact": _("%(unit)s, Koordinierungsstelle Barrierefreiheit") % {"unit": settings.DISTRICT_UNIT},
        "feedback_email": "barrierefreiheit@landkreis-musterstadt.example",
        "feedback_phone": "+49 721 000000-0",
        "enforcement_procedure": "<p>{}</p><p>{}</p>".format(
            escape(_(
                "Wenn Sie auf Ihre Rückmeldung innerhalb von sechs Wochen keine zufriedenstellende Antwort "
                "erhalten haben, können Sie ein Schlichtungsverfahren bei der Schlichtungsstelle der oder des "
                "Landes-Behindertenbeauftragten beantragen."
            )),
            escape(_(
                "Das Schlichtungsverfahren ist kostenlos. Sie brauchen keinen Rechtsbeistand. "
                "Kontakt (fiktive Angaben): schlichtungsstelle@land.example."
            )),
        ),
    }


def imprint() -> list[dict]:
    return [
        _paragraph(_("Dies ist ein Demonstrationsangebot. Alle Angaben sind fiktiv.")),
        _heading(_("Anbieter")),
        _list(*_address_lines()),
        _paragraph(_(
            "Der %(district)s ist eine Körperschaft des öffentlichen Rechts. Er wird vertreten durch die "
            "Landrätin Dr. Erika Beispiel."
        ) % {"district": settings.DISTRICT_NAME}),
        _heading(_("Kontakt")),
        _list(
            _("Telefon: +49 721 000000-0"),
            _("E-Mail: %(email)s") % {"email": CONTACT_EMAIL},
        ),
        _heading(_("Verantwortlich für den Inhalt")),
        _paragraph(_("%(unit)s, Anschrift wie oben.") % {"unit": settings.DISTRICT_UNIT}),
        _heading(_("Software und Gestaltung")),
        _paragraph(_(
            "Das Förderportal ist freie Software unter der Lizenz EUPL-1.2. Die Gestaltung beruht auf "
            "KERN UX, dem Designsystem der öffentlichen Verwaltung (EUPL-1.2)."
        )),
    ]


def privacy() -> list[dict]:
    return [
        _paragraph(_("Dies ist ein Demonstrationsangebot. Alle Angaben sind fiktiv.")),
        _heading(_("Verantwortliche Stelle")),
        _list(*_address_lines(), _("E-Mail: datenschutz@landkreis-musterstadt.example")),
        _heading(_("Welche Daten wir verarbeiten und warum")),
        _paragraph(
            _(
                "Wir verarbeiten die Angaben, die Sie bei der Registrierung, im Organisationsprofil, im Antrag "
                "und im Verwendungsnachweis machen, um über Ihren Antrag zu entscheiden, die Förderung "
                "auszuzahlen und ihre Verwendung zu prüfen."
            ),
            _(
                "Rechtsgrundlage ist Art. 6 Abs. 1 Buchst. e der Datenschutz-Grundverordnung (DSGVO) in "
                "Verbindung mit dem Haushaltsrecht, das die Prüfung der Verwendung von Fördermitteln vorschreibt."
            ),
        ),
        _heading(_("Cookies")),
        _paragraph(_(
            "Das Portal setzt nur technisch notwendige Cookies: für die Anmeldung, zum Schutz von Formularen "
            "und für die gewählte Sprache. Es gibt keine Analyse- oder Werbe-Cookies und keine Inhalte, "
            "die von fremden Servern geladen werden."
        )),
        _heading(_("Speicherdauer")),
        _paragraph(_(
            "Förderakten bewahren wir nach den Aufbewahrungsfristen des Haushaltsrechts auf und löschen sie "
            "danach. Ein Konto ohne Antrag können Sie jederzeit löschen lassen."
        )),
        _heading(_("Ihre Rechte")),
        _list(
            _("Auskunft über Ihre gespeicherten Daten (Art. 15 DSGVO)"),
            _("Berichtigung unrichtiger Daten (Art. 16 DSGVO)"),
            _("Löschung oder Einschränkung der Verarbeitung (Art. 17 und 18 DSGVO)"),
            _("Widerspruch gegen die Verarbeitung (Art. 21 DSGVO)"),
            _("Beschwerde bei der Datenschutz-Aufsichtsbehörde des Landes (Art. 77 DSGVO)"),
        ),
    ]
