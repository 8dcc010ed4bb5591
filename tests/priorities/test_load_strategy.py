import datetime
import io
import tomllib
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from partners.models import BilateralPartner, Organisation, Programme
from priorities.management.commands.load_strategy import CONTENT
from priorities.models import Commitment, FocusPoint, Priority, Strategy

SOURCE = (
    Path(__file__).resolve().parents[3] / "shared" / "strategy" / "europa-i-min-fylkeskommune.txt"
)


def load() -> str:
    out = io.StringIO()
    call_command("load_strategy", stdout=out)
    return out.getvalue()


def counts() -> tuple:
    return (
        Strategy.objects.count(),
        Priority.objects.count(),
        Commitment.objects.count(),
        BilateralPartner.objects.count(),
        Organisation.objects.count(),
        Programme.objects.count(),
        FocusPoint.objects.count(),
    )


@pytest.mark.django_db
def test_it_loads_the_strategy_once():
    assert "rows created" in load()
    assert "nothing changed" in load()
    assert counts()[:4] == (1, 4, 10, 4)
    assert counts()[6] == 5


@pytest.mark.django_db
def test_strategy_facts():
    load()
    strategy = Strategy.objects.get()
    assert strategy.title_nb == "Internasjonal strategi 2030"
    assert strategy.adopted_by_nb == "Vestfold og Telemark fylkesting"
    assert strategy.adopted_on == datetime.date(2020, 6, 16)
    assert (strategy.period_start, strategy.period_end) == (2020, 2030)
    assert "bærekraftsmål 17" in strategy.sdg_statement_nb
    assert strategy.purpose_nb.startswith("Vestfold og Telemark fylkeskommune sitt internasjonale")


@pytest.mark.django_db
def test_commitments_are_numbered_and_quoted_from_the_source():
    load()
    codes = [c.code for c in Commitment.objects.select_related("priority")]
    assert codes == ["1.1", "1.2", "1.3", "2.1", "3.1", "3.2", "3.3", "4.1", "4.2", "4.3"]
    priorities = list(Priority.objects.values_list("title_nb", flat=True))
    assert priorities == [
        "Medlemsorganisasjoner",
        "Bilaterale avtaler",
        "Prosjektarbeid",
        "Kompetanse og kunnskapsdeling",
    ]
    # nb is loaded; where it corrects an evident language error of the source, the file keeps
    # the source's form in `source` beside it (issue 13, item 6).
    content = tomllib.loads(CONTENT.read_text(encoding="utf-8"))
    commitments = [c for p in content["priorities"] for c in p["commitments"]]
    loaded = Commitment.objects.select_related("priority").order_by("priority__number", "number")
    assert [c.text_nb for c in loaded] == [c["nb"] for c in commitments]
    points = FocusPoint.objects.order_by("number").values_list("text_nb", flat=True)
    assert list(points) == [p["nb"] for p in content["focus_points"]]
    corrected = [e for e in commitments + content["focus_points"] if "source" in e]
    assert len(corrected) == 5
    assert all(e["source"] != e["nb"] for e in corrected)
    if SOURCE.exists():
        # Every source form appears word for word in the source document.
        source = SOURCE.read_text(encoding="utf-8")
        for entry in commitments:
            assert f"*{entry.get('source', entry['nb'])}*" in source
        for entry in content["focus_points"]:
            assert entry.get("source", entry["nb"]) in source
        assert content["strategy"]["sdg_statement"]["source"] in source
    commitment = Commitment.objects.get(priority__number=2, number=1)
    assert commitment.text_nb == (
        "Fylkeskommunen viderefører samarbeidet som er etablert med Midtvesten i USA, "
        "Hubei-provinsen, Kaunas og Schleswig-Holstein (gjennom Østlandssamarbeidet)."
    )


@pytest.mark.django_db
def test_every_text_has_nynorsk_and_english():
    load()
    for commitment in Commitment.objects.all():
        assert commitment.text_nn and commitment.text_en
        assert commitment.text_nn != commitment.text_nb
        assert commitment.text_en != commitment.text_nb
    for priority in Priority.objects.all():
        assert priority.title_nn and priority.title_en


@pytest.mark.django_db
def test_content_follows_the_active_language_and_falls_back_to_bokmal():
    load()
    priority = Priority.objects.get(number=1)
    with translation.override("en"):
        assert priority.title == "Member organisations"
    with translation.override("nn"):
        assert priority.title == "Medlemsorganisasjonar"
    priority.title_en = ""
    priority.save()
    with translation.override("en"):
        assert Priority.objects.get(number=1).title == "Medlemsorganisasjoner"


@pytest.mark.django_db
def test_it_does_not_overwrite_an_edit():
    load()
    commitment = Commitment.objects.get(priority__number=1, number=1)
    commitment.text_nb = "Redigert tekst fra admin."
    commitment.save()
    partner = BilateralPartner.objects.get(slug="kaunas")
    partner.themes_nb = "Endret av admin"
    partner.save()

    assert "nothing changed" in load()
    assert Commitment.objects.get(pk=commitment.pk).text_nb == "Redigert tekst fra admin."
    assert BilateralPartner.objects.get(slug="kaunas").themes_nb == "Endret av admin"


@pytest.mark.django_db
def test_it_loads_only_verified_partners_and_arenas():
    load()
    assert set(BilateralPartner.objects.values_list("slug", flat=True)) == {
        "kaunas",
        "hubei",
        "midwest-usa",
        "schleswig-holstein",
    }
    schleswig = BilateralPartner.objects.get(slug="schleswig-holstein")
    assert schleswig.coordinated_through.slug == "ostlandssamarbeidet"
    assert BilateralPartner.objects.get(slug="kaunas").cooperation_since == 1991
    # AER was not a membership of the county (FACTS.md): it must not be listed.
    assert not Organisation.objects.filter(name__icontains="Assembly of European Regions").exists()
    assert not Organisation.objects.filter(short_name="AER").exists()
    errin = Organisation.objects.get(slug="errin")
    assert errin.via.slug == "osloregionens-europakontor"
    assert not errin.is_direct
    assert Organisation.objects.get(slug="cpmr-north-sea-commission").is_direct
