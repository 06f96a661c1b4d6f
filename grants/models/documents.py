import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from .applications import _private_storage


class DocumentKind(models.TextChoices):
    APPROVAL = "approval", _("Zuwendungsbescheid")
    REJECTION = "rejection", _("Ablehnungsbescheid")
    REFUND_NOTICE = "refund_notice", _("Rückforderungsbescheid")
    AMENDMENT = "amendment", _("Änderungsbescheid (Erhöhung)")


def _document_path(instance, filename):
    return f"documents/{instance.application_id}/{instance.kind}-{secrets.token_hex(8)}.pdf"


class Document(models.Model):
    """A generated letter, stored once and served unchanged on every download."""

    application = models.ForeignKey("grants.Application", on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("Art"), max_length=20, choices=DocumentKind.choices)
    file = models.FileField(_("Datei"), upload_to=_document_path, storage=_private_storage, max_length=200)
    # Set for an amendment letter: one per increase.
    increase = models.OneToOneField(
        "grants.GrantIncrease", on_delete=models.PROTECT, null=True, blank=True, related_name="document"
    )
    sha256 = models.CharField(_("Prüfsumme (SHA-256)"), max_length=64)
    created_at = models.DateTimeField(_("erstellt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Bescheid")
        verbose_name_plural = _("Bescheide")
        ordering = ["created_at"]
        # One letter of a kind per application: a task run twice creates nothing new.
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind"], condition=models.Q(increase__isnull=True), name="one_document_per_kind"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.application.file_number}"

    @property
    def filename(self) -> str:
        number = (self.application.file_number or str(self.application_id)).replace("/", "-")
        suffix = f"-{self.increase_id}" if self.increase_id else ""
        return f"{self.get_kind_display()}-{number}{suffix}.pdf".replace(" ", "_")
