"""Which activities an anonymous visitor sees is decided in one place: ActivityQuerySet
(public(), visible_to() and visible_q(), the Q they are built on, for counts and filters
across a relation). This test reads the code and fails on any other filter on is_public, so a
new page cannot quietly grow its own rule (and forget it somewhere else).

What counts as a filter: a keyword argument `is_public=True` or `<relation>__is_public=True`
(`__exact` too) in any call but create() and update(), `.exclude(is_public=False)`, and the
same as a dict key (`Q(**{"activities__is_public": True})`). Assignments
(`activity.is_public = True`), the model field and migrations are not filters. Templates are
searched as text.
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE = (
    "priorities",
    "partners",
    "strategy_portal",
    "planning",
    "reporting",
    "counties",
    "projects",
)
TEMPLATES = ROOT / "templates"

# (file, enclosing class.function): the only places allowed to name is_public in a filter.
ALLOWED = {
    # The rule itself, for activities and the action plan's measures, each on its own flag.
    ("priorities/models.py", "VisibleQuerySet.visible_q"),
    # The admin actions "make public" / "make internal": they set the field (and pass the
    # value they set to exclude() to skip rows that have it already); they filter nothing.
    ("priorities/admin.py", "ActivityAdmin.make_public"),
}

FIELD = re.compile(r"^(?:\w+__)?is_public(?:__exact)?$")
TEMPLATE_FILTER = re.compile(r"is_public(?:__exact)?\s*=\s*(?:True|1)\b")
# QuerySet methods whose keyword arguments set fields rather than filter rows.
SETTERS = {"create", "update"}


def _key(node) -> str | None:
    """A dict key or keyword name as text; an f-string by its literal parts."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            part.value if isinstance(part, ast.Constant) else "x__" for part in node.values
        )
    return None


def _is_filter(name: str | None, value, method: str | None) -> bool:
    if name is None or not FIELD.match(name) or method in SETTERS:
        return False
    if not isinstance(value, ast.Constant):
        return False
    if method == "exclude":
        return value.value in (False, 0)
    return value.value in (True, 1)


def visibility_filters(source: str) -> list[tuple[str, int]]:
    """(enclosing class.function, line) of every is_public filter in Python `source`."""
    found = []

    def visit(node, scope: tuple[str, ...]):
        if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            scope = (*scope, node.name)
        if isinstance(node, ast.Call):
            method = node.func.attr if isinstance(node.func, ast.Attribute) else None
            for keyword in node.keywords:
                if _is_filter(keyword.arg, keyword.value, method):
                    found.append((".".join(scope) or "<module>", keyword.lineno))
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if key is not None and _is_filter(_key(key), value, None):
                    found.append((".".join(scope) or "<module>", key.lineno))
        for child in ast.iter_child_nodes(node):
            visit(child, scope)

    visit(ast.parse(source), ())
    return found


def code_files():
    for app in CODE:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_the_scanner_finds_each_way_of_writing_the_filter():
    samples = {
        "Activity.objects.filter(is_public=True)": 1,
        "Activity.objects.filter(\n    kind='x',\n    is_public=True,\n)": 1,
        "Count('activities', filter=Q(activities__is_public=True))": 1,
        "qs.filter(activities__is_public__exact=1)": 1,
        "qs.exclude(is_public=False)": 1,
        "Q(**{'activities__is_public': True})": 1,
        "Q(**{f'{prefix}is_public': True})": 1,
        # Not filters: assignments, the field, a value that is not a constant.
        "activity.is_public = True": 0,
        "is_public = models.BooleanField(default=True)": 0,
        "qs.filter(is_public=False)": 0,
        "set_visibility(qs, is_public=flag)": 0,
        "qs.filter(is_public_note=True)": 0,
        "Activity.objects.create(title='x', is_public=True)": 0,
        "qs.update(is_public=True)": 0,
    }
    for source, expected in samples.items():
        assert len(visibility_filters(source)) == expected, source


def test_only_the_activity_queryset_filters_on_is_public():
    found = set()
    for path in code_files():
        relative = path.relative_to(ROOT).as_posix()
        for scope, line in visibility_filters(path.read_text()):
            found.add((relative, scope, line))
    outside = sorted(
        f"{f}:{line} in {scope}" for f, scope, line in found if (f, scope) not in ALLOWED
    )
    assert not outside, (
        "Filter activities through ActivityQuerySet.public()/visible_to()/visible_q() "
        f"instead: {outside}"
    )
    # The allow-list stays exact: an entry that no longer matches anything is removed.
    assert {(f, scope) for f, scope, _line in found} == ALLOWED


def test_templates_do_not_filter_on_is_public():
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if TEMPLATE_FILTER.search(line)
    ]
    assert not found
