"""Content-Security-Policy help for the Wagtail admin, whose widgets still write inline scripts.

Our own templates carry no inline script at all. Wagtail 8 renders a few initialisers inline from Python
(chooser widgets: ``new PageChooser("id", {...});``) or from widget templates without a request
(``initDateChooser("id", {...});``); neither can reach ``request.csp_nonce``, and the ids vary, so hashes
do not fit either. This middleware gives the response's nonce to exactly those scripts: a script whose
whole body is ONE call of an allow-listed Wagtail initialiser with JSON arguments. Any other inline
script (an injected one included) stays without nonce and the browser refuses it. Panels that render
inline scripts from templates (InlinePanel) get the nonce in overridden templates under templates/.

Wagtail's admin also writes ``style=""`` attributes, so under the admin only, style-src allows
'unsafe-inline' (styles only; scripts never).
"""

import json
import re

from csp.constants import UNSAFE_INLINE
from django.urls import reverse

# Initialisers Wagtail renders inline (wagtail/admin/widgets/*.py, wagtailadmin/widgets/*.html).
ALLOWED_INITIALISERS = frozenset(
    {
        "initDateChooser",
        "initTimeChooser",
        "initDateTimeChooser",
        "createTaskChooser",
        "PageChooser",
        "ImageChooser",
        "DocumentChooser",
        "SnippetChooser",
        "TaskChooser",
        "Chooser",
    }
)
_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s+type=\"text/javascript\")?)>(?P<body>.*?)</script\s*>", re.S | re.I)
_CALL = re.compile(r"\s*(?:new\s+)?(?P<name>[A-Za-z_$][\w$]*)\((?P<args>.*)\);?\s*", re.S)


def is_wagtail_initialiser(body: str) -> bool:
    """True if ``body`` is one call of an allow-listed initialiser whose arguments are plain JSON."""
    # "<!--" or "<script" inside a script change how the browser finds its end; never trust such a body.
    lowered = body.lower()
    if "<!--" in lowered or "<script" in lowered:
        return False
    match = _CALL.fullmatch(body)
    if not match or match["name"] not in ALLOWED_INITIALISERS:
        return False
    try:
        json.loads(f"[{match['args']}]")
    except ValueError:
        return False
    return True


def add_nonce_to_initialisers(html: str, nonce: str) -> str:
    def replace(match: re.Match) -> str:
        if not is_wagtail_initialiser(match["body"]):
            return match.group(0)
        return f'<script{match["attrs"]} nonce="{nonce}">{match["body"]}</script>'

    return _SCRIPT.sub(replace, html)


class WagtailAdminCSPMiddleware:
    """Must come after ``csp.middleware.CSPMiddleware`` so the nonce is used before the header is written."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._admin_prefix = None

    def admin_prefix(self) -> str:
        if self._admin_prefix is None:
            self._admin_prefix = reverse("wagtailadmin_home")
        return self._admin_prefix

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path_info.startswith(self.admin_prefix()):
            return response
        response._csp_update = {"style-src": [UNSAFE_INLINE]}
        is_html = response.get("Content-Type", "").startswith("text/html")
        if is_html and not response.streaming and b"<script" in response.content:
            charset = response.charset or "utf-8"
            content = add_nonce_to_initialisers(response.content.decode(charset), str(request.csp_nonce))
            response.content = content.encode(charset)
        return response
