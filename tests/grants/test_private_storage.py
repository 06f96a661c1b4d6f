"""Private files (attachments, letters) land in the configured PRIVATE root, also when it changes at run time."""

from django.core.files.base import ContentFile

from grants.models import Attachment
from grants.storage import private_storage


def test_private_files_follow_the_private_root_of_the_moment(settings):
    # The autouse fixture in tests/conftest.py points the private storage at a temporary folder.
    field_storage = Attachment._meta.get_field("file").storage
    name = field_storage.save("probe/letter.pdf", ContentFile(b"%PDF-1.4"))
    path = field_storage.path(name)
    assert path.startswith(settings.STORAGES["private"]["OPTIONS"]["location"])
    assert not path.startswith(str(settings.BASE_DIR))
    assert field_storage.exists(name)


def test_the_lazy_storage_is_looked_up_again_after_the_setting_changes(settings, tmp_path):
    other = tmp_path / "elsewhere"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                    "OPTIONS": {"location": str(other), "base_url": None}},
    }
    assert private_storage.path("x.pdf") == str(other / "x.pdf")
