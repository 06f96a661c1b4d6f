"""``{{ application|state_label }}`` and ``{{ event.to_state|state_name:programme }}``, worded by
``grants.state_labels``."""

from django import template

from ..state_labels import state_label as _state_label
from ..state_labels import state_name as _state_name

register = template.Library()


@register.filter
def state_label(application) -> str:
    return _state_label(application)


@register.filter
def state_name(state, programme) -> str:
    return _state_name(state, programme)
