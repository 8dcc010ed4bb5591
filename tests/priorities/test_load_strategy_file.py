"""load_strategy PATH.toml: any county's strategy from a file, checked as a whole first (issue 13,
item 4). The format is in README.md, "Loading a strategy from a file"."""

import io
import textwrap
import tomllib
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

from partners.models import BilateralPartner, Organisation
from priorities.models import Commitment, FocusPoint, Priority, Strategy
from priorities.strategy_file import line_map

DATA = Path(__file__).resolve().parents[1] / "data"
EXAMPLE = DATA / "eksempel-strategi.toml"
SHIPPED = (
    Path(__file__).resolve().parents[2]
    / "priorities"
    / "content"
    / "internasjonal-strategi-2030.toml"
)

# A valid file to break one piece at a time.
VALID = """\
[strategy]
slug = "proveark"
adopted_on = 2024-05-02
period_start = 2024
period_end = 2027
title = { nb = "Prøvestrategi" }
adopted_by = { nb = "Prøve fylkesting" }
purpose = { nb = "Oppdiktet formål." }
sdg_statement = { nb = "Oppdiktet." }

[[counties]]
slug = "prove"
name = { nb = "Prøve fylkeskommune" }

[[priorities]]
number = 1
slug = "prove-prioritet"
title = { nb = "Prøve" }

[[priorities.commitments]]
number = 1
nb = "Fylkeskommunen skal prøve."

[[organisations]]
slug = "prove-nettverk"
name = { nb = "Prøvenettverket" }

[[partners]]
slug = "prove-region"
country = "IS"
coordinated_through = "prove-nettverk"
held_by = ["prove"]
name = { nb = "Prøveregionen" }
"""


def row_counts() -> dict:
    """Rows of every model of the project's own apps."""
    return {
        model._meta.label: model.objects.count()
        for app in ("priorities", "partners")
        for model in apps.get_app_config(app).get_models()
    }


def write(tmp_path, text: str, name: str = "strategi.toml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def refused(path) -> list[str]:
    """The error lines of a refused file (after the heading line)."""
    with pytest.raises(CommandError) as error:
        call_command("load_strategy", str(path), stdout=io.StringIO())
    heading, *lines = str(error.value).splitlines()
    assert "refused, nothing saved" in heading
    return lines


def load(path=None) -> str:
    out = io.StringIO()
    call_command("load_strategy", *([str(path)] if path else []), stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_valid_sample_loads(tmp_path):
    assert "rows created" in load(write(tmp_path, VALID))
    assert Strategy.objects.get().slug == "proveark"
    assert BilateralPartner.objects.get().coordinated_through.slug == "prove-nettverk"


@pytest.mark.django_db
def test_five_kinds_of_mistakes_give_five_errors_with_lines_and_nothing_saved(tmp_path):
    text = (
        VALID.replace("period_end = 2027", "period_end = 2027\nadopted_no = 2024-05-02")  # typo
        .replace('country = "IS"', 'country = "XX"')  # not a country code
        .replace('title = { nb = "Prøve" }', 'title = { nn = "Prøve" }')  # no bokmål
        .replace('held_by = ["prove"]', 'held_by = ["ingen"]')  # a county not in the file
    )
    text += '\n[[partners]]\nslug = "prove-region"\ncountry = "DK"\nname = { nb = "Igjen" }\n'
    path = write(tmp_path, text)
    load()  # the shipped strategy is there: a refused file must leave it as it is
    before = row_counts()

    errors = refused(path)

    assert errors == [
        'strategi.toml:6: strategy.adopted_no: unknown key "adopted_no" (known: slug, title, '
        "adopted_by, adopted_on, period_start, period_end, purpose, sdg_statement, decision_body, "
        "decision_date, decision_case_number, decision_url, county)",
        "strategi.toml:19: priorities[0].title: the bokmål text (nb) is missing",
        "strategi.toml:31: partners[0].country: 'XX': Value 'XX' is not a valid choice.",
        'strategi.toml:33: partners[0].held_by[0]: "ingen" is not one of the counties in the file',
        "strategi.toml:37: partners[1].slug: slug 'prove-region' is used twice "
        "(also at partners[0])",
    ]
    assert row_counts() == before


@pytest.mark.django_db
def test_a_syntax_error_gives_tomllib_message_and_its_line(tmp_path):
    path = write(tmp_path, VALID.replace("period_end = 2027", "period_end = 2027-"))
    assert refused(path) == [
        "strategi.toml:5: Expected newline or end of document after a statement "
        "(at line 5, column 18)"
    ]
    assert not Strategy.objects.exists()


@pytest.mark.parametrize(
    "old, new, error",
    [
        (
            'slug = "prove-nettverk"',
            'slug = "prove-nettverk"\nwebside = "https://example.org/"',
            'strategi.toml:26: organisations[0].webside: unknown key "webside"',
        ),
        (
            'country = "IS"',
            'country = "XX"',
            "strategi.toml:30: partners[0].country: 'XX': Value 'XX' is not a valid choice.",
        ),
        (
            'name = { nb = "Prøve fylkeskommune" }',
            'name = { nn = "Prøve fylkeskommune" }',
            "strategi.toml:13: counties[0].name: the bokmål text (nb) is missing",
        ),
        (
            'name = { nb = "Prøve fylkeskommune" }',
            'name = { nb = "Prøve fylkeskommune", se = "Geahččalan" }',
            'strategi.toml:13: counties[0].name.se: unknown language "se"',
        ),
        (
            'coordinated_through = "prove-nettverk"',
            'coordinated_through = "ukjent"',
            'strategi.toml:31: partners[0].coordinated_through: "ukjent" is not one of the '
            "organisations in the file or the database",
        ),
        (
            'slug = "prove-nettverk"',
            'slug = "prove-region"',
            "strategi.toml:",  # the duplicate, and the reference that now points at nothing
        ),
        (
            'slug = "prove"\n',
            'slug = "Prøve fylke"\n',
            'strategi.toml:12: counties[0].slug: "Prøve fylke": Enter a valid “slug”',
        ),
        (
            "period_end = 2027",
            "period_end = 2023",
            "strategi.toml:5: strategy.period_end: period_end (2023) is before period_start (2024)",
        ),
        (
            "period_start = 2024",
            'period_start = "2024"',
            'strategi.toml:4: strategy.period_start: "2024" is not a year',
        ),
        (
            "adopted_on = 2024-05-02",
            "adopted_on = 2024-05-02T10:00:00",
            "strategi.toml:3: strategy.adopted_on: "
            "datetime.datetime(2024, 5, 2, 10, 0) is not a date",
        ),
        (
            '[[counties]]\nslug = "prove"',
            '[[counties]]\nslug = "prove"\nwebsite = "javascript:alert(1)"',
            'strategi.toml:13: counties[0].website: "javascript:alert(1)": Enter a valid URL.',
        ),
        (
            '[[counties]]\nslug = "prove"',
            '[[counties]]\nslug = "prove"\nexisted_from = 2020-01-01\ndissolved_on = 2019-01-01\n'
            'successors = ["borte"]',
            "strategi.toml:",
        ),
        (
            'slug = "proveark"',
            'slug = "proveark"\ncounty = "borte"',
            'strategi.toml:3: strategy.county: "borte" is not one of the counties in the file',
        ),
    ],
)
@pytest.mark.django_db
def test_each_kind_of_mistake_is_named_with_its_line(tmp_path, old, new, error):
    assert VALID.count(old) == 1
    errors = refused(write(tmp_path, VALID.replace(old, new)))
    assert any(line.startswith(error) for line in errors), errors
    assert not Strategy.objects.exists()


@pytest.mark.django_db
def test_a_duplicate_slug_and_county_dates(tmp_path):
    text = (
        VALID.replace(
            'slug = "prove"\n',
            'slug = "prove"\nexisted_from = 2020-01-01\ndissolved_on = 2019-01-01\n'
            'successors = ["borte"]\n',
        )
        + '\n[[organisations]]\nslug = "prove-nettverk"\nname = { nb = "Igjen" }\n'
    )
    assert refused(write(tmp_path, text)) == [
        "strategi.toml:14: counties[0].dissolved_on: dissolved_on (2019-01-01) is before "
        "existed_from (2020-01-01)",
        'strategi.toml:15: counties[0].successors[0]: "borte" is not one of the counties '
        "in the file",
        "strategi.toml:39: organisations[1].slug: slug 'prove-nettverk' is used twice "
        "(also at organisations[0])",
    ]


@pytest.mark.django_db
def test_a_priority_slug_of_another_strategy_is_refused(tmp_path):
    load()
    text = VALID.replace('slug = "prove-prioritet"', 'slug = "medlemsorganisasjoner"')
    assert refused(write(tmp_path, text)) == [
        'strategi.toml:17: priorities[0].slug: "medlemsorganisasjoner" is a priority of another '
        'strategy ("internasjonal-strategi-2030")'
    ]


@pytest.mark.django_db
def test_a_second_load_of_the_shipped_file_changes_nothing():
    assert "rows created" in load()
    before = row_counts()
    assert "nothing changed" in load(SHIPPED)
    assert row_counts() == before


@pytest.mark.django_db
def test_file_is_an_alias_of_the_path(tmp_path):
    out = io.StringIO()
    call_command("load_strategy", "--file", str(write(tmp_path, VALID)), stdout=out)
    assert "rows created" in out.getvalue()
    assert Strategy.objects.get().slug == "proveark"


@pytest.mark.django_db
def test_the_invented_strategy_needs_the_organisation_it_names_from_the_database():
    """Its network goes `via` an organisation of the shipped file: alone, it is refused."""
    assert refused(EXAMPLE) == [
        'eksempel-strategi.toml:70: organisations[0].via: "osloregionens-europakontor" is not '
        "one of the organisations in the file or the database"
    ]


@pytest.mark.django_db
def test_an_invented_second_strategy_loads_beside_the_shipped_one():
    load()
    shipped = {
        model: list(model.objects.order_by("pk").values())
        for model in (Strategy, Priority, Commitment, FocusPoint, Organisation, BilateralPartner)
    }

    assert "rows created" in load(EXAMPLE)
    assert "nothing changed" in load(EXAMPLE)

    assert set(Strategy.objects.values_list("slug", flat=True)) == {
        "internasjonal-strategi-2030",
        "eksempel-internasjonal-strategi-2025",
    }
    example = Strategy.objects.get(slug="eksempel-internasjonal-strategi-2025")
    assert list(example.priorities.values_list("slug", flat=True)) == [
        "eksempel-regionalt-samarbeid",
        "eksempel-partnerregioner",
    ]
    assert Commitment.objects.filter(priority__strategy=example).count() == 2
    assert example.focus_points.get().text_nb == "lære av andre regioner"
    assert (
        Organisation.objects.get(slug="eksempel-nettverk").via.slug == "osloregionens-europakontor"
    )
    # The shipped strategy's rows are as they were.
    for model, rows in shipped.items():
        pks = [row["id"] for row in rows]
        assert list(model.objects.filter(pk__in=pks).order_by("pk").values()) == rows


def test_line_map_counts_entries_per_parent():
    lines = line_map(SHIPPED.read_text(encoding="utf-8"))
    text = SHIPPED.read_text(encoding="utf-8").splitlines()
    assert text[lines[("partners", 2, "country")] - 1] == 'country = "US"'
    assert text[lines[("priorities", 1, "commitments", 0, "nb")] - 1].startswith(
        'nb = "Fylkeskommunen viderefører'
    )
    assert text[lines[("strategy", "purpose", "nb")] - 1].startswith("nb = ")
    assert lines[("strategy", "purpose")] < lines[("strategy", "purpose", "nb")]


def test_the_shipped_file_keeps_the_source_form_beside_each_correction():
    """nb corrects the source's evident language errors; `source` keeps the source's text."""
    content = tomllib.loads(SHIPPED.read_text(encoding="utf-8"))
    commitment = content["priorities"][1]["commitments"][0]
    assert "Midtvesten i USA" in commitment["nb"]
    assert "Midvesten USA" in commitment["source"]
    assert content["focus_points"][2]["nb"].startswith("innse at")
    assert content["focus_points"][2]["source"].startswith("innsett at")
