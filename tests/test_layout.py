"""The layout the README describes: which package may import which."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_packages(package: str) -> dict[str, set[str]]:
    """For each Python file of `package` (migrations aside), the top-level packages it imports."""
    found = {}
    for path in sorted((ROOT / package).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        names = set()
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        # The project layer: settings, URLs, middleware, shared tags; nothing domain-shaped.
        (
            "strategy_portal",
            {"priorities", "partners", "counties", "planning", "reporting", "projects"},
        ),
        # Partners never import the strategy side; priorities may import partners.
        ("partners", {"priorities", "accounts", "planning", "reporting", "projects"}),
        # Counties are below both: priorities and partners may import counties.
        ("counties", {"priorities", "partners", "accounts", "planning", "reporting", "projects"}),
        # Sign-in (accounts) gives the roles priorities defines; priorities never imports it,
        # nor the action plan or reporting rounds, apps above priorities.
        ("priorities", {"accounts", "planning", "reporting", "projects"}),
        # The action plan never imports reporting rounds, which build on it.
        ("planning", {"reporting", "projects"}),
    ],
)
def test_a_package_does_not_import_the_packages_above_it(package, forbidden):
    offenders = {
        path: sorted(names & forbidden)
        for path, names in imported_packages(package).items()
        if names & forbidden
    }
    assert offenders == {}


def test_the_layout_check_sees_an_import():
    # The check above must be able to fail: it finds the import of partners in priorities.
    assert any("partners" in names for names in imported_packages("priorities").values())
