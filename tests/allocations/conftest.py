"""Fixtures for the formula allocation screens: the world of ``helpers`` and URL shortcuts."""

import pytest
from django.urls import reverse

from .helpers import Staff, soforthilfe_world


@pytest.fixture
def staff(db):
    return Staff()


@pytest.fixture
def world(staff):
    return soforthilfe_world(staff=staff)


@pytest.fixture
def urls(world):
    """URL builders for the world's programme year and its runs."""

    class Urls:
        index = reverse("formelzuweisung:index")
        programme = reverse("formelzuweisung:programme", args=(world.programme.pk, world.year))
        preview = reverse("formelzuweisung:preview", args=(world.programme.pk, world.year))

        @staticmethod
        def run(run, name="run"):
            return reverse(f"formelzuweisung:{name}", args=(run.pk,))

    return Urls
