"""A strategy described in a TOML file: its schema, and the check of a whole file before
anything is saved (`load_strategy`). The README's "Loading a strategy from a file" documents
the format; this module is where it is defined.

The checks are in three layers, each rule in one place:
- the file format (this module's SCHEMA): known keys, required keys, TOML types, years, dates in
  order, translated texts (`nb` required; `nn`, `en` and `source` optional), slugs unique in the
  file and references between entries;
- the models' own field validation (slug, URL, country code from django-countries, choices,
  lengths), run with full_clean() on unsaved instances;
- the database: references may also point at rows that are already there.

tomllib gives no positions for values, and the well-kept TOML libraries on PyPI give none either
(tomlkit keeps the formatting but not line numbers), so `line_map` scans the raw text for table
headers and `key =` lines and counts array-of-tables entries."""

import datetime
import re
import tomllib
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.utils import translation

from partners.models import BilateralPartner, Organisation, Programme, web_link
from priorities.models import Commitment, FocusPoint, Priority, Strategy

LANGUAGES = ("nb", "nn", "en")
# A translated text: nb required; nn and en the portal's translations; source the verbatim
# text of the source document where nb corrects an evident language error.
TEXT_KEYS = (*LANGUAGES, "source")

# Kinds of value: how the file must write them.
SLUG, STR, INT, YEAR, DATE, URL, TEXT, SLUGS, TABLES, DEGREES = (
    "slug",
    "string",
    "integer",
    "year",
    "date",
    "URL",
    "translated text",
    "list of slugs",
    "array of tables",
    "number of degrees",
)


@dataclass(frozen=True)
class Key:
    kind: str
    required: bool = False
    refers_to: str = ""  # the table whose slugs a reference (or list of them) must name


TABLES_SCHEMA: dict[str, dict[str, Key]] = {
    "strategy": {
        "slug": Key(SLUG, True),
        "title": Key(TEXT, True),
        "adopted_by": Key(TEXT, True),
        "adopted_on": Key(DATE, True),
        "period_start": Key(YEAR, True),
        "period_end": Key(YEAR, True),
        "purpose": Key(TEXT, True),
        "sdg_statement": Key(TEXT, True),
        "decision_body": Key(STR),
        "decision_date": Key(DATE),
        "decision_case_number": Key(STR),
        "decision_url": Key(URL),
        "county": Key(SLUG, refers_to="counties"),
    },
    "focus_points": {"number": Key(INT, True)},  # and the text's nb/nn/en/source
    "priorities": {
        "number": Key(INT, True),
        "slug": Key(SLUG, True),
        "title": Key(TEXT, True),
        "description": Key(TEXT),
        "commitments": Key(TABLES),
    },
    "commitments": {"number": Key(INT, True)},  # and the text's nb/nn/en/source
    "organisations": {
        "slug": Key(SLUG, True),
        "name": Key(TEXT, True),
        "short_name": Key(STR),
        "kind": Key(STR),
        "via": Key(SLUG, refers_to="organisations"),
        "member_since": Key(YEAR),
        "member_until": Key(YEAR),
        "seats_and_role": Key(TEXT),
        "cost_bearer": Key(STR),
        "purpose": Key(TEXT),
        "description": Key(TEXT),
        "website": Key(URL),
        "source_url": Key(URL),
        "held_by": Key(SLUGS, refers_to="counties"),
        "place": Key(TEXT),
        "country": Key(STR),
        "latitude": Key(DEGREES),
        "longitude": Key(DEGREES),
    },
    "partners": {
        "slug": Key(SLUG, True),
        "name": Key(TEXT, True),
        "country": Key(STR, True),
        "cooperation_since": Key(YEAR),
        "themes": Key(TEXT),
        "agreement": Key(TEXT),
        "agreement_signed": Key(DATE),
        "agreement_renewed": Key(DATE),
        "agreement_expires": Key(DATE),
        "agreement_url": Key(URL),
        "coordinated_through": Key(SLUG, refers_to="organisations"),
        "description": Key(TEXT),
        "website": Key(URL),
        "source_url": Key(URL),
        "held_by": Key(SLUGS, refers_to="counties"),
        "place": Key(TEXT),
        "latitude": Key(DEGREES),
        "longitude": Key(DEGREES),
    },
    "programmes": {
        "slug": Key(SLUG, True),
        "name": Key(TEXT, True),
        "short_name": Key(STR),
        "period_start": Key(YEAR),
        "period_end": Key(YEAR),
        "description": Key(TEXT),
        "website": Key(URL),
    },
    "counties": {
        "slug": Key(SLUG, True),
        "name": Key(TEXT, True),
        "short_name": Key(STR),
        "website": Key(URL),
        "existed_from": Key(DATE),
        "dissolved_on": Key(DATE),
        "successors": Key(SLUGS, refers_to="counties"),
    },
}
# Tables whose entries are themselves a translated text (number = 1, nb = "…").
INLINE_TEXT = {"focus_points", "commitments"}
# Top-level arrays of tables (and the one plain table, strategy).
TOP_LEVEL = (
    "strategy",
    "focus_points",
    "priorities",
    "organisations",
    "partners",
    "programmes",
    "counties",
)
# Pairs that must be in order: (first, last), per table.
IN_ORDER = {
    "strategy": [("period_start", "period_end")],
    "organisations": [("member_since", "member_until")],
    "programmes": [("period_start", "period_end")],
    "counties": [("existed_from", "dissolved_on")],
}
# Pairs that go together: both or neither (a place on the map needs both coordinates).
TOGETHER = {
    "organisations": [("latitude", "longitude")],
    "partners": [("latitude", "longitude")],
}
# Which model an entry is checked against with full_clean(), and where slugs are looked up.
MODELS = {
    "strategy": Strategy,
    "focus_points": FocusPoint,
    "priorities": Priority,
    "commitments": Commitment,
    "organisations": Organisation,
    "partners": BilateralPartner,
    "programmes": Programme,
}
# Model fields by another name than the file's (inline texts are the model's `text`).
INLINE_FIELD = "text"


# ----------------------------------------------------------------------------- positions

HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\" ]+?)\s*\]\]?\s*(#.*)?$")
KEY_LINE = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=")


def line_map(text: str) -> dict[tuple, int]:
    """Paths to line numbers: ("partners", 2, "country") → 57. Array-of-tables entries are
    counted per parent entry, as TOML counts them; keys of an inline table share its line."""
    lines: dict[tuple, int] = {}
    counts: dict[tuple, int] = {}
    current: tuple = ()
    in_multiline = False
    for number, raw in enumerate(text.splitlines(), start=1):
        if in_multiline:
            if raw.count('"""') % 2 or raw.count("'''") % 2:
                in_multiline = False
            continue
        header = HEADER.match(raw)
        if header:
            names = [part.strip().strip('"') for part in header.group(2).split(".")]
            # Resolve the parent path through the entries counted so far.
            path: tuple = ()
            for name in names[:-1]:
                path += (name,)
                if path in counts:
                    path += (counts[path] - 1,)
            path += (names[-1],)
            if header.group(1) == "[[":
                counts[path] = counts.get(path, 0) + 1
                # A new entry restarts the count of its sub-arrays.
                for sub in [p for p in counts if p[: len(path)] == path and len(p) > len(path)]:
                    del counts[sub]
                path += (counts[path] - 1,)
            lines.setdefault(path, number)
            current = path
            continue
        key = KEY_LINE.match(raw)
        if key:
            lines.setdefault((*current, key.group(1)), number)
            rest = raw[key.end() :]
            if rest.count('"""') % 2 or rest.count("'''") % 2:
                in_multiline = True
    return lines


def line_of(lines: dict[tuple, int], path: tuple) -> int:
    """The line of a path, or of its nearest ancestor that has one."""
    for end in range(len(path), 0, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return 1


def dotted(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


# ----------------------------------------------------------------------------- the check


@dataclass
class Problem:
    path: tuple
    message: str


@dataclass
class Check:
    content: dict
    problems: list[Problem] = field(default_factory=list)

    def add(self, path: tuple, message: str) -> None:
        self.problems.append(Problem(path, message))

    # -- types
    def of_kind(self, path: tuple, kind: str, value) -> bool:
        ok = {
            SLUG: isinstance(value, str),
            STR: isinstance(value, str),
            URL: isinstance(value, str),
            INT: isinstance(value, int) and not isinstance(value, bool),
            YEAR: isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999,
            DATE: isinstance(value, datetime.date) and not isinstance(value, datetime.datetime),
            SLUGS: isinstance(value, list) and all(isinstance(v, str) for v in value),
            TABLES: isinstance(value, list) and all(isinstance(v, dict) for v in value),
            TEXT: isinstance(value, str | dict),
            DEGREES: isinstance(value, int | float) and not isinstance(value, bool),
        }[kind]
        if not ok:
            article = "an" if kind[0] in "aeiouAEIOU" else "a"
            shown = f'"{value}"' if isinstance(value, str) else repr(value)
            self.add(path, f"{shown} is not {article} {kind}")
            return False
        if kind == SLUG:
            return self.valid(path, validate_slug, value)
        if kind == SLUGS:
            return all(self.valid((*path, i), validate_slug, v) for i, v in enumerate(value))
        if kind == URL:
            return self.valid(path, web_link, value)
        if kind == TEXT:
            return self.text(path, value)
        return True

    def valid(self, path: tuple, validator, value) -> bool:
        try:
            validator(value)
        except ValidationError as error:
            self.add(path, f'"{value}": ' + " ".join(error.messages))
            return False
        return True

    def text(self, path: tuple, value) -> bool:
        if isinstance(value, str):
            return True  # a plain string is bokmål only
        ok = True
        for key, text in value.items():
            if key not in TEXT_KEYS:
                self.add((*path, key), f'unknown language "{key}" (known: {", ".join(TEXT_KEYS)})')
                ok = False
            elif not isinstance(text, str):
                self.add((*path, key), f"{text!r} is not a string")
                ok = False
        if not value.get("nb"):
            self.add(path, "the bokmål text (nb) is missing")
            ok = False
        return ok

    # -- one entry
    def entry(self, table: str, path: tuple, data) -> dict:
        """Check one entry's keys and types; return the keys that passed."""
        if not isinstance(data, dict):
            self.add(path, f"{table} must be a table")
            return {}
        schema = TABLES_SCHEMA[table]
        good = {}
        for key, value in data.items():
            if table in INLINE_TEXT and key in TEXT_KEYS:
                continue
            if key not in schema:
                self.add((*path, key), f'unknown key "{key}" (known: {", ".join(schema)})')
            elif self.of_kind((*path, key), schema[key].kind, value):
                good[key] = value
        for key, spec in schema.items():
            if spec.required and key not in data:
                self.add(path, f'the required key "{key}" is missing')
        if table in INLINE_TEXT:
            text = {k: v for k, v in data.items() if k in TEXT_KEYS}
            if self.text(path, text):
                good[INLINE_FIELD] = text
        for first, last in IN_ORDER.get(table, []):
            if first in good and last in good and good[last] < good[first]:
                self.add((*path, last), f"{last} ({good[last]}) is before {first} ({good[first]})")
        for one, other in TOGETHER.get(table, []):
            if (one in data) != (other in data):
                missing = other if one in data else one
                self.add(path, f'"{one}" and "{other}" go together: "{missing}" is missing')
        if table in MODELS:
            self.model(MODELS[table], path, good)
        return good

    def model(self, model, path: tuple, good: dict) -> None:
        """The model's own validation of the fields that passed the format check."""
        table = path[-2] if isinstance(path[-1], int) else path[-1]
        schema = TABLES_SCHEMA[table]
        values = {}
        for key, value in good.items():
            kind = schema[key].kind if key in schema else TEXT
            if kind == TEXT:
                texts = {"nb": value} if isinstance(value, str) else value
                values |= {f"{key}_{lang}": texts[lang] for lang in LANGUAGES if lang in texts}
            elif kind == DEGREES:
                values[key] = degrees(value)
            elif not schema[key].refers_to and kind not in (SLUGS, TABLES):
                values[key] = value
        fields = {f.name for f in model._meta.concrete_fields}
        values = {k: v for k, v in values.items() if k in fields}
        instance = model(**values)
        try:
            instance.full_clean(
                exclude=[f for f in fields if f not in values],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                value = values.get(name)
                # A coordinate as the file wrote it (95), not as Decimal('95').
                shown = (
                    ""
                    if name not in values
                    else f"{value}: "
                    if isinstance(value, Decimal)
                    else f"{value!r}: "
                )
                self.add((*path, *field_path(name)), shown + " ".join(messages))


def degrees(value: int | float) -> Decimal:
    """A coordinate as the file writes it (54.8985), as the model keeps it: through its
    decimal text, so a float's binary tail (54.898499999…) is not read as more decimals."""
    return Decimal(str(value))


def field_path(name: str) -> tuple:
    """A model field's place in the file: name_nb → ("name", "nb"); text_nb → ("nb",)."""
    base, _, lang = name.rpartition("_")
    if lang in LANGUAGES and base:
        return (lang,) if base == INLINE_FIELD else (base, lang)
    return (name,)


def check(content: dict) -> list[Problem]:
    """Every problem of a parsed file, in no particular order."""
    c = Check(content)
    for key in content:
        if key not in TOP_LEVEL:
            c.add((key,), f'unknown table "{key}" (known: {", ".join(TOP_LEVEL)})')
    if not isinstance(content.get("strategy"), dict):
        c.add(("strategy",), "the [strategy] table is missing")
        strategy = {}
    else:
        strategy = c.entry("strategy", ("strategy",), content["strategy"])

    entries: dict[str, list[tuple[tuple, dict]]] = {}
    for table in TOP_LEVEL[1:]:
        value = content.get(table, [])
        if not isinstance(value, list):
            c.add((table,), f"{table} must be an array of tables ([[{table}]])")
            continue
        entries[table] = [((table, i), c.entry(table, (table, i), d)) for i, d in enumerate(value)]

    for path, priority in entries.get("priorities", []):
        checked = [
            ((*path, "commitments", j), c.entry("commitments", (*path, "commitments", j), data))
            for j, data in enumerate(priority.get("commitments", []))
        ]
        unique(c, checked, "number")

    unique(c, entries.get("focus_points", []), "number")
    unique(c, entries.get("priorities", []), "number")
    for table in ("priorities", "organisations", "partners", "programmes", "counties"):
        unique(c, entries.get(table, []), "slug")

    # References: to entries in the file, or (for rows the portal keeps) in the database.
    slugs = {t: {d["slug"] for _, d in entries.get(t, []) if "slug" in d} for t in TABLES_SCHEMA}
    in_database = {"organisations": Organisation}
    references = [(("strategy",), strategy)] + [
        e for t in TOP_LEVEL[1:] for e in entries.get(t, [])
    ]
    for path, data in references:
        schema = TABLES_SCHEMA[path[0]]
        for key, value in data.items():
            target = schema[key].refers_to if key in schema else ""
            if not target:
                continue
            for i, slug in enumerate(value if isinstance(value, list) else [value]):
                where = (*path, key, i) if isinstance(value, list) else (*path, key)
                known = slug in slugs[target] or (
                    target in in_database and in_database[target].objects.filter(slug=slug).exists()
                )
                if not known:
                    places = "the file or the database" if target in in_database else "the file"
                    c.add(where, f'"{slug}" is not one of the {target} in {places}')

    # A priority's slug is unique across strategies: one that belongs to another strategy
    # would be taken for this one's.
    if "slug" in strategy:
        for path, data in entries.get("priorities", []):
            other = (
                Priority.objects.filter(slug=data.get("slug"))
                .exclude(strategy__slug=strategy["slug"])
                .select_related("strategy")
                .first()
            )
            if other:
                c.add(
                    (*path, "slug"),
                    f'"{other.slug}" is a priority of another strategy ("{other.strategy.slug}")',
                )
    return c.problems


def unique(c: Check, entries: list, key: str) -> None:
    seen: dict = {}
    for path, data in entries:
        if key not in data:
            continue
        value = data[key]
        if value in seen:
            c.add((*path, key), f"{key} {value!r} is used twice (also at {dotted(seen[value])})")
        else:
            seen[value] = path


class StrategyFileError(Exception):
    """A file that cannot be loaded: every problem, one per line, with its line number."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        super().__init__("\n".join(lines))


def read(path) -> dict:
    """The parsed file, checked as a whole; StrategyFileError lists every problem."""
    name = getattr(path, "name", str(path))
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
        content = tomllib.loads(text)
    except UnicodeDecodeError as error:
        raise StrategyFileError([f"{name}: not UTF-8 ({error})"]) from error
    except tomllib.TOMLDecodeError as error:
        # tomllib's message ends with "(at line N, column M)".
        found = re.search(r"at line (\d+)", str(error))
        raise StrategyFileError([f"{name}:{found.group(1) if found else 1}: {error}"]) from error
    with translation.override("en"):  # the command's messages are in English
        problems = check(content)
    if problems:
        lines = line_map(text)
        located = sorted((line_of(lines, p.path), dotted(p.path), p.message) for p in problems)
        raise StrategyFileError(
            [f"{name}:{line}: {where}: {message}" for line, where, message in located]
        )
    return content
