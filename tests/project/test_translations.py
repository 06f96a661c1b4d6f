"""English is complete: every message of the catalogue is translated, none is fuzzy, the .mo is current."""

from pathlib import Path

from django.utils import translation

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def _entries(po: Path) -> list[dict]:
    entries, current, key = [], {}, None
    for line in [*po.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if current:
                entries.append(current)
            current, key = {}, None
        elif line.startswith("#,"):
            current["flags"] = line
        elif line.startswith(("msgid", "msgstr")):
            key, _, value = line.partition(" ")
            current[key] = value.strip('"')
        elif line.startswith('"') and key:
            current[key] += line.strip('"')
    return [e for e in entries if e.get("msgid")]  # drop the header


def test_every_english_message_is_translated_and_none_is_fuzzy():
    entries = _entries(LOCALE / "en" / "LC_MESSAGES" / "django.po")
    assert len(entries) > 800
    untranslated = [e["msgid"] for e in entries if not (e.get("msgstr") or e.get("msgstr[0]"))]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e.get("flags", "")]
    assert untranslated == []
    assert fuzzy == []


def test_the_compiled_catalogue_is_used():
    with translation.override("en"):
        assert translation.gettext("Zuwendungsbescheid") != "Zuwendungsbescheid"
        assert translation.gettext("Verwendungsnachweis überfällig") == "Proof of use overdue"
