"""Accessibility basics asserted in the HTML of every portal and account page (WCAG 2.1 AA groundwork)."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from grants.states import State

from .conftest import advance

pytestmark = pytest.mark.django_db

CONTROLS = {"input", "select", "textarea"}
NOT_LABELLED = {"hidden", "submit", "button"}


class PageStructure(HTMLParser):
    """Collects what the checks need: lang, title, ids, labels, controls, fieldsets, links, headings."""

    def __init__(self):
        super().__init__()
        self.lang = None
        self.title = ""
        self.in_title = False
        self.ids, self.label_for, self.controls, self.links = set(), set(), [], []
        self.h1 = 0
        self.fieldsets = 0
        self.legends = 0
        self.in_template = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "template":
            self.in_template += 1
        if self.in_template:
            return  # the JavaScript row template is inert
        if tag == "html":
            self.lang = attrs.get("lang")
        if tag == "title":
            self.in_title = True
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "label" and attrs.get("for"):
            self.label_for.add(attrs["for"])
        if tag in CONTROLS and attrs.get("type") not in NOT_LABELLED and not attrs.get("aria-hidden"):
            self.controls.append(attrs)
        if tag == "a":
            self.links.append(attrs.get("href") or "")
        if tag == "h1":
            self.h1 += 1
        if tag == "fieldset":
            self.fieldsets += 1
        if tag == "legend":
            self.legends += 1

    def handle_endtag(self, tag):
        if tag == "template":
            self.in_template -= 1
        if tag == "title":
            self.in_title = False

    def handle_data(self, data):
        if self.in_title:
            self.title += data


def check_page(html: str) -> PageStructure:
    page = PageStructure()
    page.feed(html)
    assert page.lang == "de"
    assert page.title.strip().endswith("Förderportal Landkreis Musterstadt")
    assert len(page.title.split("–")[0].strip()) > 2, page.title
    assert "#main" in page.links  # skip link ...
    assert "main" in page.ids  # ... and its target
    assert page.h1 == 1
    assert page.fieldsets == page.legends
    for control in page.controls:
        assert control.get("id") in page.label_for or control.get("aria-label"), control
    # Every in-page link points at an element that exists (error summary -> field ids).
    for href in page.links:
        if href.startswith("#") and len(href) > 1:
            assert href[1:] in page.ids, href
    return page


def portal_urls(application, paid):
    organisation = application.organisation
    return [
        reverse("portal:dashboard"),
        reverse("portal:organisation_create"),
        reverse("portal:organisation_detail", args=[organisation.pk]),
        reverse("portal:organisation_edit", args=[organisation.pk]),
        reverse("portal:member_invite", args=[organisation.pk]),
        reverse("portal:application_create", args=[application.programme.code]),
        reverse("portal:application_detail", args=[application.pk]),
        reverse("portal:application_edit", args=[application.pk]),
        reverse("portal:application_edit", args=[application.pk]) + "?einreichen=1",
        reverse("portal:application_withdraw", args=[application.pk]),
        reverse("portal:attachment_upload", args=[application.pk]),
        reverse("portal:application_detail", args=[paid.pk]),
        reverse("portal:settlement", args=[paid.pk]),
        reverse("portal:settlement_receipt_upload", args=[paid.pk]),
    ]


def test_portal_pages(member_client, member, application):
    from tests.factories import make_application

    paid = advance(make_application(member=member), member, State.PAID)
    for url in portal_urls(application, paid):
        response = member_client.get(url)
        assert response.status_code == 200, url
        check_page(response.content.decode())


@pytest.mark.parametrize("name", ["account_login", "account_signup", "account_reset_password"])
def test_account_pages(client, name):
    check_page(client.get(reverse(name)).content.decode())


def test_error_pages_link_every_error_to_its_field(member_client, application):
    url = reverse("portal:application_edit", args=[application.pk])
    data = {"action": "save", "title": "", "expected_participants": "viele", "planned_start": "gestern",
            "kosten-TOTAL_FORMS": "1", "kosten-INITIAL_FORMS": "0",
            "kosten-0-description": "Honorare", "kosten-0-amount": "zehn"}
    html = member_client.post(url, data).content.decode()
    page = check_page(html)
    summary_links = [href for href in page.links if href.startswith("#id_")]
    assert set(summary_links) >= {"#id_title", "#id_expected_participants", "#id_planned_start",
                                  "#id_kosten-0-amount"}
    assert "<title>Fehler: " in html
    # The control says it is invalid and points at its message.
    assert 'aria-invalid="true" aria-describedby="id_title-error"' in html


def test_login_error_page(client):
    html = client.post(reverse("account_login"), {"login": "x@example.org", "password": ""}).content.decode()
    page = check_page(html)
    assert "#id_password" in page.links


def test_signup_error_page(client):
    html = client.post(reverse("account_signup"), {"email": "kaputt", "password1": "a", "password2": "b"})
    page = check_page(html.content.decode())
    assert "#id_email" in page.links
