"""integration_core's models, one module per subject; import them from here."""

from .places import District, Municipality, ags_validator

__all__ = ["District", "Municipality", "ags_validator"]
