"""What every part of the portal shares: the district and its member municipalities."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

ags_validator = RegexValidator(
    r"^\d{8}$", _("Der Amtliche Gemeindeschlüssel (AGS) besteht aus genau 8 Ziffern.")
)


class District(models.Model):
    name = models.CharField(_("Name"), max_length=200)
    # The district key is the first five digits of the AGS of its municipalities.
    key = models.CharField(
        _("Kreisschlüssel"),
        max_length=5,
        unique=True,
        validators=[RegexValidator(r"^\d{5}$", _("Der Kreisschlüssel besteht aus 5 Ziffern."))],
    )

    class Meta:
        verbose_name = _("Landkreis")
        verbose_name_plural = _("Landkreise")

    def __str__(self):
        return self.name


class Municipality(models.Model):
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="municipalities", verbose_name=_("Landkreis")
    )
    ags = models.CharField(_("AGS"), max_length=8, unique=True, validators=[ags_validator])
    name = models.CharField(_("Name"), max_length=200)
    population = models.PositiveIntegerField(_("Einwohnerzahl"))
    population_reference_date = models.DateField(_("Stichtag der Einwohnerzahl"))
    is_urban = models.BooleanField(_("städtisch"), default=False)

    class Meta:
        verbose_name = _("Kreiskommune")
        verbose_name_plural = _("Kreiskommunen")
        ordering = ["name"]

    def __str__(self):
        return self.name
