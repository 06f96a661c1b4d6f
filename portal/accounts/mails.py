"""allauth's mails in the portal's voice: the portal's and the district's name, links on the portal's base URL.

allauth builds links from the request's host and names the site after it (no ``django.contrib.sites``
here); behind a proxy or in a Celery task that host is not the address people know."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings


@dataclass(frozen=True)
class PortalSite:
    """Stands in for allauth's ``current_site`` in mail templates."""

    name: str
    domain: str


def base_url() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def on_base_url(url: str) -> str:
    """The same path on the portal's base URL (scheme and host of ``url`` are dropped)."""
    parts = urlsplit(url)
    query = f"?{parts.query}" if parts.query else ""
    fragment = f"#{parts.fragment}" if parts.fragment else ""
    return f"{base_url()}{parts.path}{query}{fragment}"


class PortalMailsMixin:
    def format_email_subject(self, subject: str) -> str:
        return f"[{settings.WAGTAIL_SITE_NAME}] {subject}"

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        context = {
            **{name: on_base_url(value) if name.endswith("_url") and isinstance(value, str) else value
               for name, value in context.items()},
            "current_site": PortalSite(name=settings.WAGTAIL_SITE_NAME, domain=urlsplit(base_url()).netloc),
            "site_name": settings.WAGTAIL_SITE_NAME,
            "district_name": settings.DISTRICT_NAME,
            "base_url": base_url(),
        }
        return super().send_mail(template_prefix, email, context)
