"""Checks on the rendered HTML that a screen-reader user relies on."""

import itertools

from bs4 import BeautifulSoup


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content.decode(), "html.parser")


def assert_sound_outline(response) -> None:
    """One h1, it comes first, and no heading level is skipped on the way down."""
    headings = soup(response).find_all(["h1", "h2", "h3", "h4", "h5", "h6"])
    levels = [int(h.name[1]) for h in headings]
    assert levels.count(1) == 1, levels
    assert levels[0] == 1, levels
    for previous, current in itertools.pairwise(levels):
        assert current <= previous + 1, f"Überschriftenebene übersprungen: {levels}"
    page = soup(response)
    assert page.find("main") is not None
    assert page.find("html").get("lang")
