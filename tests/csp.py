"""What the Content-Security-Policy demands of a page: every executable inline script carries the response's
nonce; no inline event handler; no ``javascript:`` URL (none of them would run under the policy)."""

import re

import lxml.html

# Types a browser executes (an empty type is JavaScript); JSON, templates and the like are data.
EXECUTABLE_TYPES = {"", "text/javascript", "application/javascript", "module"}
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data")


def response_nonce(response) -> str | None:
    match = re.search(r"script-src [^;]*'nonce-([^']+)'", response.headers["Content-Security-Policy"])
    return match[1] if match else None


def csp_offences(response) -> list[str]:
    """Everything on the page the policy would block, described for the assertion message."""
    nonce = response_nonce(response)
    tree = lxml.html.fromstring(response.content.decode())
    # libxml2 parses <template> content as ordinary children: scripts inserted later are checked too.
    offences = []
    for script in tree.xpath("//script[not(@src)]"):
        if script.get("type", "").strip().lower() in EXECUTABLE_TYPES and script.get("nonce") != nonce:
            offences.append(f"inline script without nonce: {(script.text or '')[:120]!r}")
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                offences.append(f"event handler {name}= on <{element.tag}>")
            if name.lower() in URL_ATTRIBUTES and value.strip().lower().startswith("javascript:"):
                offences.append(f"javascript: URL in <{element.tag} {name}>")
    return offences
