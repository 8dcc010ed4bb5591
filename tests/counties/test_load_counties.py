"""load_strategy's county authorities: the split of 2024, and who holds each relation now."""

import datetime
import io

import pytest
from django.core.management import call_command

from counties.models import County
from partners.models import BilateralPartner, Organisation
from priorities.models import Strategy


def load() -> str:
    out = io.StringIO()
    call_command("load_strategy", stdout=out)
    return out.getvalue()


def held_by(model, slug: str) -> list[str]:
    return sorted(model.objects.get(slug=slug).held_by.values_list("slug", flat=True))


@pytest.mark.django_db
def test_the_three_authorities_and_the_split_are_loaded(strategy):
    vtfk = County.objects.get(slug="vestfold-og-telemark")
    assert vtfk.name_nb == "Vestfold og Telemark fylkeskommune"
    assert vtfk.name_en == "Vestfold og Telemark County Authority"
    assert vtfk.existed_from == datetime.date(2020, 1, 1)
    assert vtfk.dissolved_on == datetime.date(2024, 1, 1)
    assert sorted(vtfk.successors.values_list("slug", flat=True)) == ["telemark", "vestfold"]
    vestfold = County.objects.get(slug="vestfold")
    assert vestfold.existed_from == datetime.date(2024, 1, 1)
    assert vestfold.dissolved_on is None
    assert list(vestfold.predecessors.all()) == [vtfk]
    assert vestfold.website == "https://www.vestfoldfylke.no/"
    # Nothing invented: no e-mail or address for any of them.
    assert not County.objects.exclude(email="").exists()
    assert not County.objects.exclude(postal_address="").exists()
    assert strategy.county == vtfk


@pytest.mark.django_db
def test_each_relation_is_held_by_the_successor_that_lists_it(strategy):
    assert held_by(BilateralPartner, "kaunas") == ["vestfold"]
    assert held_by(BilateralPartner, "schleswig-holstein") == ["telemark", "vestfold"]
    assert held_by(BilateralPartner, "hubei") == ["telemark"]
    assert held_by(BilateralPartner, "midwest-usa") == ["telemark"]
    assert held_by(Organisation, "cpmr-north-sea-commission") == ["telemark"]
    assert held_by(Organisation, "interreg-oks-komiteer") == ["telemark"]
    # What no successor's page lists stays unassigned, not guessed.
    assert held_by(Organisation, "osloregionens-europakontor") == []


@pytest.mark.django_db
def test_a_second_load_changes_nothing(strategy):
    before = (
        County.history.count(),
        Strategy.history.count(),
        BilateralPartner.history.count(),
        Organisation.history.count(),
    )
    assert load() == "Strategy content already loaded; nothing changed.\n"
    after = (
        County.history.count(),
        Strategy.history.count(),
        BilateralPartner.history.count(),
        Organisation.history.count(),
    )
    assert after == before
    assert County.objects.count() == 3


@pytest.mark.django_db
def test_a_load_keeps_what_an_admin_changed(strategy):
    vestfold = County.objects.get(slug="vestfold")
    telemark = County.objects.get(slug="telemark")
    vestfold.name_en = "Vestfold County Council Authority (edited)"
    vestfold.save()
    County.objects.get(slug="vestfold-og-telemark").successors.set([telemark])
    BilateralPartner.objects.get(slug="kaunas").held_by.set([telemark])
    strategy.county = telemark
    strategy.save()

    assert "nothing changed" in load()

    assert County.objects.get(slug="vestfold").name_en.endswith("(edited)")
    assert list(County.objects.get(slug="vestfold-og-telemark").successors.all()) == [telemark]
    assert held_by(BilateralPartner, "kaunas") == ["telemark"]
    assert Strategy.objects.get().county == telemark


@pytest.mark.django_db
def test_a_database_loaded_before_counties_gets_them_on_the_next_load(strategy):
    # As a portal deployed before this change: the rows exist, their new fields are empty.
    Strategy.objects.update(county=None)
    for model in (BilateralPartner, Organisation):
        for row in model.objects.all():
            row.held_by.clear()

    assert "rows created" in load()

    assert Strategy.objects.get().county.slug == "vestfold-og-telemark"
    assert held_by(BilateralPartner, "kaunas") == ["vestfold"]
    assert "nothing changed" in load()
