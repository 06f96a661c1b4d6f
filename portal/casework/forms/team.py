"""The provider lead's form: give a person access to the provider's cases."""

from django import forms
from django.utils.translation import gettext_lazy as _

from integration_core.models import ProviderRole

from .base import CaseworkForm


class TeamMemberForm(CaseworkForm):
    email = forms.EmailField(label=_("E-Mail-Adresse der Person"), max_length=254,
                             help_text=_("Die Person braucht ein Konto im Portal und die Rolle "
                                         "Integrationsmanagement."),
                             widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    role = forms.ChoiceField(label=_("Funktion"), choices=ProviderRole.choices, initial=ProviderRole.CASE_WORKER,
                             widget=forms.RadioSelect,
                             help_text=_("Integrationsmanager:in sieht die eigenen Fälle, die Fallleitung alle Fälle "
                                         "des Trägers."))
