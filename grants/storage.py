"""The private file storage (attachments, letters, letter bundles): never served as public media."""

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class _PrivateStorage(LazyObject):
    """The "private" storage, looked up on first use and again after STORAGES changes.

    A FileField resolves its storage callable once, at import; a plain storages["private"] would
    pin the root of that moment, and tests that point PRIVATE_ROOT at a temporary folder would
    still write into var/private.
    """

    def _setup(self):
        from django.core.files.storage import storages

        self._wrapped = storages["private"]


private_storage = _PrivateStorage()


@receiver(setting_changed)
def _reset_private_storage(*, setting, **kwargs):
    if setting in ("STORAGES", "PRIVATE_ROOT"):
        private_storage._wrapped = empty
