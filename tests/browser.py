"""A browser on top of Django's test client, for journey tests.

``Browser(user).get(url)`` follows redirects and fails on any 4xx/5xx on the way; every HTML
page must have a German ``lang``, a ``<title>`` and exactly one ``<h1>``. ``Browser.submit``
reads a form from the page as a browser would (``lxml``: hidden fields, pre-filled values,
ticked boxes), fills in what a person types, "clicks" a button that really is in the form and
posts it, CSRF token included (the client enforces CSRF).
"""

from dataclasses import dataclass

import lxml.html
from django.test import Client


@dataclass
class Page:
    response: object

    @property
    def html(self) -> str:
        return self.response.content.decode()

    @property
    def text(self) -> str:
        """The visible text, whitespace collapsed: what a reader sees."""
        tree = lxml.html.fromstring(self.html)
        for node in tree.xpath("//script|//style|//template"):
            node.drop_tree()
        return " ".join(" ".join(tree.itertext()).split())  # cells and terms apart, as on screen

    @property
    def url(self) -> str:
        chain = getattr(self.response, "redirect_chain", None)
        return chain[-1][0] if chain else self.response.request["PATH_INFO"]

    def check_outline(self, what: str) -> str:
        """Every screen says where you are: a German <title> and exactly one <h1>."""
        tree = lxml.html.fromstring(self.html)
        assert tree.get("lang", "").startswith("de"), f"{what}: lang={tree.get('lang')!r}"
        title = " ".join((tree.findtext(".//title") or "").split())
        assert title, f"{what}: no <title>"
        headings = tree.xpath("//h1")
        assert len(headings) == 1, f"{what}: {len(headings)} h1 ({title})"
        return title

    def form(self, *, containing: str = "", action: str = ""):
        """The form in the main content with a field named ``containing`` or posting to ``action``."""
        tree = lxml.html.fromstring(self.html)
        for form in tree.xpath("//main//form"):
            if (containing and form.xpath(f".//*[@name='{containing}']")) or (
                action and (form.get("action") or self.response.request["PATH_INFO"]) == action
            ):
                return form
        raise AssertionError(f"no form with {containing or action!r} on {self.url}")

    def link(self, text: str) -> str:
        """The href of the link whose text contains ``text``."""
        tree = lxml.html.fromstring(self.html)
        for anchor in tree.xpath("//main//a[@href]"):
            if text in " ".join(anchor.text_content().split()):
                return anchor.get("href")
        raise AssertionError(f"no link {text!r} on {self.url}")

    def error_links(self) -> list[str]:
        """The error summary's links; each must lead to an element of the page (WCAG 3.3.1)."""
        tree = lxml.html.fromstring(self.html)
        summary = tree.xpath("//*[@id='error-summary']")
        assert summary, f"no error summary on {self.url}"
        assert summary[0].get("autofocus") is not None, "the error summary must take the focus"
        hrefs = [a.get("href") for a in summary[0].xpath(".//a")]
        for href in hrefs:
            assert href.startswith("#"), href
            assert tree.xpath(f"//*[@id='{href[1:]}']"), f"{href!r} leads nowhere"
        return hrefs

    def says(self, *phrases: str) -> None:
        for phrase in phrases:
            assert phrase in self.text, f"{phrase!r} not on {self.url}"


def form_data(form) -> dict:
    """What the browser would send for ``form`` as it stands (no button, no files)."""
    data: dict = {}
    for name, value in form.form_values():
        data.setdefault(name, []).append(value)
    return {name: values[0] if len(values) == 1 else values for name, values in data.items()}


class Browser:
    """A logged-in person. Every response (and every redirect on the way) must be below 400."""

    def __init__(self, user):
        self.client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="de-DE")
        self.client.force_login(user)
        self.user = user
        self.titles: list[str] = []

    def _checked(self, response, what: str) -> Page:
        for url, status in getattr(response, "redirect_chain", []):
            assert status < 400, f"{what}: {status} on the way to {url}"
        assert response.status_code < 400, f"{what}: {response.status_code}"
        page = Page(response)
        if response["Content-Type"].startswith("text/html"):
            self.titles.append(page.check_outline(what))
        return page

    def get(self, url: str) -> Page:
        return self._checked(self.client.get(url, follow=True), f"GET {url}")

    def download(self, url: str):
        response = self.client.get(url)
        assert response.status_code == 200, f"GET {url}: {response.status_code}"
        return response

    def submit(self, page: Page, *, containing: str = "", action: str = "", fill: dict | None = None,
               button: tuple | None = None, files: dict | None = None) -> Page:
        """Fill ``form`` on ``page`` and press ``button`` (name, value) or its only submit button."""
        form = page.form(containing=containing, action=action)
        data = form_data(form)
        for name, value in (fill or {}).items():
            assert form.xpath(f".//*[@name='{name}']"), f"no field {name!r} in the form on {page.url}"
            if value is None:
                data.pop(name, None)  # an unticked checkbox sends nothing
            else:
                data[name] = value
        buttons = form.xpath(".//button[not(@type) or @type='submit'][not(@aria-hidden='true')]")
        if button:
            name, value = button
            assert any(b.get("name") == name and b.get("value") == value for b in buttons), (
                f"no button {name}={value} on {page.url}")
            data[name] = value
        else:
            assert buttons, f"no submit button on {page.url}"
        data.update(files or {})
        target = form.get("action") or page.response.request["PATH_INFO"]
        return self._checked(self.client.post(target, data, follow=True), f"POST {target}")
