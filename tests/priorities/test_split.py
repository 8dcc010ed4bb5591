"""The 2024 split in plain words (issue 13, item 2): the overview tells the strategy's history
from the data, and each partner and arena says which county authority follows it up now."""

import datetime
import re

import pytest

from counties.models import County
from partners.models import BilateralPartner, Organisation
from priorities.models import Strategy
from tests.factories import make_county

# The strategy's history, as the overview tells it in each language (<time> elements inside).
NOTES = {
    "": (
        'Vedtatt av Vestfold og Telemark fylkesting <time datetime="2020-06-16">16. juni 2020'
        "</time>",
        'Siden <time datetime="2024-01-01">1. januar 2024</time> har strategien blitt fulgt opp '
        "av Telemark fylkeskommune og Vestfold fylkeskommune, som overtok etter Vestfold og "
        "Telemark fylkeskommune.",
    ),
    "/nn": (
        'Vedteke av Vestfold og Telemark fylkesting <time datetime="2020-06-16">16. juni 2020'
        "</time>",
        'Sidan <time datetime="2024-01-01">1. januar 2024</time> har strategien vorte følgd opp '
        "av Telemark fylkeskommune og Vestfold fylkeskommune, som tok over etter Vestfold og "
        "Telemark fylkeskommune.",
    ),
    "/en": (
        "Adopted by the Vestfold og Telemark County Council (fylkestinget) on "
        '<time datetime="2020-06-16">June 16, 2020</time>',
        'Since <time datetime="2024-01-01">Jan. 1, 2024</time>, the strategy has been followed '
        "up by Telemark County Authority and Vestfold County Authority, which took over from "
        "Vestfold og Telemark County Authority.",
    ),
}


def text_of(html: str) -> str:
    """The page with its white space folded, as a reader sees the sentences."""
    return re.sub(r"\s+", " ", html)


@pytest.mark.parametrize("prefix", NOTES)
def test_the_overview_tells_the_strategys_history_in_each_language(client, strategy, prefix):
    page = text_of(client.get(prefix + "/").text)
    adopted, followed_up = NOTES[prefix]
    assert adopted in page
    assert followed_up in page


def test_the_note_comes_from_the_data_not_from_the_template(client, strategy):
    # A successor of its own: the overview names it, and no longer the others.
    vestfold_og_telemark = strategy.county
    vestfold_og_telemark.successors.set([make_county()])
    page = text_of(client.get("/").text)
    assert "har strategien blitt fulgt opp av Eksempelfylket fylkeskommune, som overtok" in page
    assert "Telemark fylkeskommune og Vestfold fylkeskommune" not in page


def test_another_countys_strategy_without_a_dissolution_has_no_such_note(client, strategy):
    # Another county's strategy, marked as the current one.
    county = make_county()
    other = Strategy.objects.create(
        title="Internasjonal strategi for Eksempelfylket",
        slug="eksempelfylket-2026",
        adopted_by="Eksempelfylket fylkesting",
        adopted_on=datetime.date(2026, 2, 3),
        period_start=2026,
        period_end=2030,
        purpose="Et oppdiktet formål.",
        sdg_statement="Bærekraftsmål 17.",
        county=county,
        is_current=True,
    )
    assert Strategy.objects.current() == other
    page = text_of(client.get("/").text)
    assert 'Vedtatt av Eksempelfylket fylkesting <time datetime="2026-02-03">' in page
    assert 'id="follow-up"' not in page
    assert "fulgt opp av" not in page
    # Once that county is dissolved without a successor, the overview says only that.
    County.objects.filter(pk=county.pk).update(dissolved_on=datetime.date(2026, 6, 1))
    page = text_of(client.get("/").text)
    assert (
        'Eksempelfylket fylkeskommune ble avviklet <time datetime="2026-06-01">1. juni 2026</time>.'
        in page
    )


def test_who_follows_the_strategy_up_is_one_rule(strategy):
    follow_up = strategy.follow_up()
    assert follow_up.county.slug == "vestfold-og-telemark"
    assert follow_up.since == datetime.date(2024, 1, 1)
    assert [county.slug for county in follow_up.counties] == ["telemark", "vestfold"]
    # Before the split the county that adopted it followed it up itself: no note.
    assert strategy.follow_up(today=datetime.date(2023, 12, 31)) is None
    # A successor dissolved in turn hands over to its own successors.
    telemark = County.objects.get(slug="telemark")
    telemark.dissolved_on = datetime.date(2030, 1, 1)
    telemark.save()
    telemark.successors.set([make_county()])
    later = strategy.follow_up(today=datetime.date(2030, 1, 1))
    assert [county.slug for county in later.counties] == ["eksempelfylket", "vestfold"]


# --- Who holds each partner and arena now ---------------------------------------------------


@pytest.mark.parametrize(
    "prefix, expected",
    [
        ("", "<dt>Følges opp av</dt><dd>Telemark fylkeskommune</dd>"),
        ("/nn", "<dt>Blir følgt opp av</dt><dd>Telemark fylkeskommune</dd>"),
        ("/en", "<dt>Followed up by</dt><dd>Telemark County Authority</dd>"),
    ],
)
def test_a_partner_page_says_who_follows_it_up_now(client, strategy, prefix, expected):
    assert expected in client.get(f"{prefix}/partnere/hubei/").text
    kaunas = client.get(f"{prefix}/partnere/kaunas/").text
    assert "Vestfold" in kaunas.split('class="facts')[1].split("</dl>")[0]
    assert "Telemark fylkeskommune" not in kaunas.split('class="facts')[1].split("</dl>")[0]


def test_an_arena_page_says_who_follows_it_up_now(client, strategy):
    organisation = Organisation.objects.filter(held_by__slug="telemark").first()
    page = client.get(organisation.get_absolute_url()).text
    assert "<dt>Følges opp av</dt><dd>Telemark fylkeskommune</dd>" in page
    # Held by both: named together.
    schleswig = BilateralPartner.objects.get(held_by__slug="vestfold", pk__in=_held_by_two())
    page = client.get(schleswig.get_absolute_url()).text
    assert "<dd>Telemark fylkeskommune og Vestfold fylkeskommune</dd>" in page


def _held_by_two():
    return [
        p.pk
        for p in BilateralPartner.objects.prefetch_related("held_by")
        if len(p.held_by.all()) == 2
    ]


def test_without_a_holder_the_page_says_nothing_of_it(client, strategy):
    partner = BilateralPartner.objects.get(slug="hubei")
    partner.held_by.clear()
    assert "Følges opp av" not in client.get("/partnere/hubei/").text


def test_the_partner_list_says_who_follows_each_up(client, strategy):
    page = client.get("/partnere/").text
    hubei = page.split('href="/partnere/hubei/"')[1].split("</li>")[0]
    assert "<dt>Følges opp av</dt><dd>Telemark fylkeskommune</dd>" in hubei


def test_the_api_rows_name_the_holders(client, strategy):
    partners = {row["slug"]: row for row in client.get("/api/partners/").json()["results"]}
    assert partners["hubei"]["held_by"] == ["telemark"]
    assert partners["kaunas"]["held_by"] == ["vestfold"]
    assert len(partners["schleswig-holstein"]["held_by"]) == 2
    organisations = client.get("/api/organisations/").json()["results"]
    held = {row["slug"]: row["held_by"] for row in organisations}
    assert all(isinstance(value, list) for value in held.values())
    assert any(value == ["telemark"] for value in held.values())
    document = client.get("/api/openapi.json").json()
    for schema in ("Partner", "Organisation"):
        field = document["components"]["schemas"][schema]["properties"]["held_by"]
        assert field["type"] == "array" and "county" in field["description"]
