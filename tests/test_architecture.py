"""Imports point one way: integration_core ← programmes ← grants ← portal, cms.

Checked on the source with ast, so a lazy import inside a function counts too.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "integration_core": {"programmes", "grants", "portal", "cms"},
    "programmes": {"grants", "portal", "cms"},
    "grants": {"portal", "cms"},
}


def imported_packages(path: Path, package: str) -> set[str]:
    """Top-level packages a module imports, relative imports resolved within ``package``."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            # Relative imports stay inside the package (ast cannot climb above it from here).
            found.add(package if node.level else (node.module or "").split(".")[0])
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) in {
            "import_module", "__import__",
        } and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            found.add(node.args[0].value.split(".")[0])
    return found


def python_files(package: str) -> list[Path]:
    return sorted(p for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts)


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_imports_point_one_way(package):
    files = python_files(package)
    assert files, f"{package} hat keine Python-Dateien"
    offenders = sorted(
        f"{path.relative_to(ROOT)} importiert {name}"
        for path in files
        for name in imported_packages(path, package) & FORBIDDEN[package]
    )
    assert offenders == []


# Applicants and users live in portal; grants refers to them by lazy model string only, never by
# import. Known and accepted crossings — anything new here is a design decision for the lead.
KNOWN_MODEL_CROSSINGS = {"organisations.Organisation"}


def test_model_strings_point_one_way_too():
    """Lazy model references ("grants.Application") are imports by another name."""
    from django.apps import apps

    packages = {c.label: c.name.split(".")[0] for c in apps.get_app_configs()}
    offenders = []
    for package, forbidden in FORBIDDEN.items():
        for path in python_files(package):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                    continue
                label, _dot, model = node.value.partition(".")
                crossing = packages.get(label) in forbidden and model[:1].isupper() and model.isidentifier()
                if crossing and node.value not in KNOWN_MODEL_CROSSINGS:
                    offenders.append(f"{path.relative_to(ROOT)}: {node.value}")
    assert offenders == []


def test_the_checker_sees_a_forbidden_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from grants.models import Application\n\ndef f():\n    import portal.urls\n", encoding="utf-8")
    assert imported_packages(bad, "programmes") >= {"grants", "portal"}
