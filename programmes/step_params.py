"""Language-neutral parameters of calculation steps and engine errors, and how they are rendered.

A run stores each step as a German message template (the msgid, translated when shown) plus params; the
params carry no language. Figures are tagged values, words are nested templates, so the page can show a
step in the active language and number format while the stored run stays the same everywhere:

    {"eur": "1234.50"}             money           1.234,50 €  /  1,234.50 €
    {"number": "0.50"}             a decimal       0,50        /  0.50    (places as stored)
    {"date": "2025-12-31"}         a date          31.12.2025  /  12/31/2025
    {"text": msgid, "params": {}}  a fragment      translated like the step's own message
    {"list": [value, …]}           an enumeration  joined by ", "
    {"name": "A", "detail": value} a named item    A (detail)

Plain strings and ints are shown as they are (runs fixed before this format stored pre-formatted German
strings; they still render, in German). Pure Python, no Django: the engine uses :func:`german` for the
stored fallback text; ``programmes.exports.steps`` renders in the active language.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any


def gettext_noop(message: str) -> str:
    """Marks a German message for makemessages; it is translated where it is shown."""
    return message


def eur(amount: Decimal) -> dict:
    return {"eur": f"{Decimal(amount):f}"}


def number(value: Decimal | int) -> dict:
    return {"number": f"{Decimal(value):f}"}


def day(iso: str) -> dict:
    return {"date": iso}


def text(message: str, **params) -> dict:
    return {"text": message, "params": params}


def listing(values) -> dict:
    return {"list": list(values)}


def named(name: str, detail) -> dict:
    return {"name": name, "detail": detail}


def places(value: str) -> int:
    """The decimal places a stored number was written with: "0.50" → 2, "1" → 0."""
    return len(value.partition(".")[2])


@dataclass(frozen=True)
class Formats:
    """How one language writes words and figures."""

    translate: Callable[[str], str]
    money: Callable[[Decimal], str]
    number: Callable[[Decimal, int], str]
    date: Callable[[date], str]


def render_value(value: Any, formats: Formats) -> str:
    if isinstance(value, Mapping):
        if "eur" in value:
            return formats.money(Decimal(value["eur"]))
        if "number" in value:
            return formats.number(Decimal(value["number"]), places(value["number"]))
        if "date" in value:
            return formats.date(date.fromisoformat(value["date"]))
        if "text" in value:
            return render(value["text"], value.get("params") or {}, formats)
        if "list" in value:
            return ", ".join(render_value(item, formats) for item in value["list"])
        if "name" in value:
            return f"{value['name']} ({render_value(value['detail'], formats)})"
        raise ValueError(f"Unbekannter Parameter: {value!r}")
    return str(value)


def render(message: str, params: Mapping[str, Any], formats: Formats) -> str:
    """The message template in the language of ``formats``, its params rendered likewise (recursively)."""
    template = formats.translate(message) if message else message
    return template % {key: render_value(value, formats) for key, value in params.items()}


def _german_number(value: Decimal, decimals: int) -> str:
    grouped = f"{value:,.{decimals}f}"
    return grouped.replace(",", " ").replace(".", ",").replace(" ", ".")


GERMAN = Formats(
    translate=lambda message: message,  # the msgids are German
    money=lambda amount: f"{_german_number(amount, 2)} €",
    number=_german_number,
    date=lambda day_: day_.strftime("%d.%m.%Y"),
)


def german(message: str, params: Mapping[str, Any]) -> str:
    """The German text, independent of any active language: what a run stores as its fallback explanation."""
    return render(message, params, GERMAN)


class AllocationError(ValueError):
    """A ValueError whose German message is also kept as template and params, so it can be shown translated.

    ``str(error)`` is the German text, exactly as a plain ValueError would carry it.
    """

    def __init__(self, message: str, **params):
        self.template, self.params = message, params
        super().__init__(german(message, params))
