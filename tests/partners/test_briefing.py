"""The briefing pack (partners/briefing.py): a page per partner or arena to print, and its PDF.

Anyone may read it; an anonymous visitor's pack holds public items only, staff's internal
items too. The PDF is read back with pypdf: what the pack says must be in its text.
"""

import datetime
import io

import pypdf
import pytest
from django.test import Client
from django.utils import timezone

from partners.models import BilateralPartner, Organisation
from planning.models import State
from priorities.models import Activity
from tests.factories import (
    get_commitment,
    make_activity,
    make_measure,
    make_project,
    make_seat,
    make_user,
    make_visit,
)
from tests.query_counts import count_queries

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

PARTNER = "/partnere/kaunas/brief/"
ORGANISATION = "/partnere/organisasjoner/cpmr-north-sea-commission/brief/"
PAGES = [PARTNER, ORGANISATION]
PDFS = [PARTNER.replace("brief/", "brief.pdf"), ORGANISATION.replace("brief/", "brief.pdf")]
PUBLIC = "Møte om grønn skipsfart i Kaunas"
INTERNAL = "Internt budsjettmøte om Kaunas"
OLD = "Gammelt møte fra i fjor"


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content) if response.streaming else response.content
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_reader(response) -> pypdf.PdfReader:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    return pypdf.PdfReader(io.BytesIO(data))


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def pack(strategy):
    return make_pack()


@pytest.fixture
def committed_pack(strategy, django_capture_on_commit_callbacks):
    """The pack's data committed, as a request's writes are before a page is rendered: an
    uncommitted write keeps every page out of the cache (strategy_portal.cache.writes_pending)."""
    with django_capture_on_commit_callbacks(execute=True):
        return make_pack()


def make_pack() -> dict:
    """Kaunas with an agreement; a public and an internal activity with Kaunas and the North
    Sea Commission this year, one older than twelve months; open and closed measures."""
    kaunas = BilateralPartner.objects.get(slug="kaunas")
    kaunas.agreement = "Samarbeidsavtale om utdanning og kultur."
    kaunas.agreement_signed = datetime.date(2019, 5, 14)
    kaunas.agreement_expires = timezone.localdate() + datetime.timedelta(days=30)
    kaunas.save()
    nsc = Organisation.objects.get(slug="cpmr-north-sea-commission")
    c11 = get_commitment("1.1")
    open_measure = make_measure(c11, title="Felles søknad med Kaunas")
    internal_measure = make_measure(c11, title="Intern budsjettoppfølging", is_public=False)
    done_measure = make_measure(c11, title="Ferdig tiltak med Kaunas")
    done_measure.set_state(state=State.DONE)
    hidden_measure = make_measure(c11, title="Tiltak bak et internt møte")
    public = make_activity(
        c11,
        title=PUBLIC,
        days_ago=20,
        outcome="Enighet om en felles søknad.",
        partners=[kaunas],
        organisations=[nsc],
        measure=open_measure,
    )
    make_activity(
        c11, title="Møte om tiltaket", days_ago=30, partners=[kaunas], measure=done_measure
    )
    make_activity(
        c11, title="Møte om budsjettet", days_ago=40, partners=[kaunas], measure=internal_measure
    )
    internal = make_activity(
        c11,
        title=INTERNAL,
        days_ago=5,
        is_public=False,
        partners=[kaunas],
        organisations=[nsc],
        measure=hidden_measure,
    )
    make_activity(c11, title=OLD, days_ago=400, partners=[kaunas], organisations=[nsc])
    visit = make_visit(
        get_commitment("2.1"),
        title="Delegasjonsbesøk til Kaunas",
        days_ago=60,
        partners=[kaunas],
        visit={"cost": "48250", "cost_is_public": False},
    )
    project = make_activity(
        get_commitment("3.1"),
        title="Interreg-prosjekt med Kaunas",
        days_ago=90,
        end_date=timezone.localdate() + datetime.timedelta(days=200),
        kind=Activity.Kind.PROJECT,
        partners=[kaunas],
    )
    # The project register: a running public project and an internal one with Kaunas, one
    # closed long ago; a seat the county holds in the North Sea Commission and a former one.
    make_project(acronym="GRØNNHAVN", name="Grønne havner", state="running").partners.add(kaunas)
    make_project(acronym="SKJULT", name="Intern søknad", is_public=False).partners.add(kaunas)
    make_project(
        acronym="GAMMEL",
        state="closed",
        decided_on=datetime.date(2015, 1, 1),
        start_date=datetime.date(2015, 6, 1),
        end_date=datetime.date(2018, 12, 31),
    ).partners.add(kaunas)
    make_seat(nsc, representative="Eksempel: Astrid Fiktivsen")
    make_seat(
        nsc,
        representative="Eksempel: Tidligere Representant",
        term_start=datetime.date(2016, 1, 1),
        term_end=datetime.date(2019, 12, 31),
    )
    return {
        "kaunas": kaunas,
        "nsc": nsc,
        "public": public,
        "internal": internal,
        "visit": visit,
        "project": project,
    }


def test_the_partners_pdf_names_the_partner_its_agreement_and_its_last_activities(client, pack):
    text = pdf_text(client.get("/partnere/kaunas/brief.pdf"))
    assert "Kaunas" in text
    assert "Samarbeidsavtale om utdanning og kultur." in text
    assert "14. mai 2019" in text  # the date signed
    assert PUBLIC in text and "Enighet om en felles søknad." in text  # with its outcome
    assert "Delegasjonsbesøk til Kaunas" in text and "Interreg-prosjekt med Kaunas" in text
    assert "GRØNNHAVN" in text
    assert OLD not in text  # older than twelve months
    today = timezone.localdate()
    assert f"Per {today:%d.%m.%Y}" in text


def test_the_pdf_is_tagged_in_the_readers_language(client, pack):
    reader = pdf_reader(client.get("/en/partnere/kaunas/brief.pdf"))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/Lang"] == "en"
    assert reader.metadata.title == "Briefing pack: Kaunas"
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Activities in the last twelve months" in text and "Open follow-ups" in text
    nynorsk = pdf_text(Client().get("/nn/partnere/kaunas/brief.pdf"))
    assert "Aktivitetar siste tolv månader" in nynorsk


def test_the_pack_has_current_seats_register_projects_and_visits_with_participants(
    client, staff_user, pack
):
    arena = pdf_text(client.get(PDFS[1]))
    assert "Eksempel: Astrid Fiktivsen" in arena  # the seat held now
    assert "Tidligere Representant" not in arena  # an ended term is not in the pack
    partner = pdf_text(client.get(PDFS[0]))
    assert "GRØNNHAVN – Grønne havner" in partner  # running: from the project register
    assert "GAMMEL" not in partner  # closed years ago
    assert "SKJULT" not in partner  # internal: staff only
    assert "Drøfte utveksling av lærlinger." in partner  # the visit's purpose
    assert "Eva Eksempeldal" in partner  # its participant, a politician by name
    assert "Utkast til avtale innen sommeren." in partner  # the follow-up agreed
    assert "48" not in partner.split("Delegasjonsbesøk til Kaunas")[1].split("\n")[0]
    staff = pdf_text(signed_in(staff_user).get(PDFS[0]))
    assert "SKJULT – Intern søknad" in staff
    for text in (partner, staff):
        assert "48 250" not in text and "48250" not in text  # a visit's cost never


def test_the_arenas_pdf_has_its_membership_and_seats(client, pack):
    text = pdf_text(client.get("/partnere/organisasjoner/cpmr-north-sea-commission/brief.pdf"))
    assert pack["nsc"].name in text
    assert pack["nsc"].seats_and_role.split()[0] in text
    assert "Medlemskap" in text and PUBLIC in text


@pytest.mark.parametrize("path", PAGES + PDFS)
def test_internal_items_never_reach_an_anonymous_visitors_pack(client, pack, path):
    response = client.get(path)
    text = pdf_text(response) if path.endswith(".pdf") else response.text
    assert PUBLIC in text
    for hidden in (INTERNAL, "Tiltak bak et internt møte", "Intern budsjettoppfølging"):
        assert hidden not in text
    assert "Internt" not in text  # no "Internal" badge either


@pytest.mark.parametrize("path", PAGES + PDFS)
def test_staff_packs_hold_internal_items_marked_internal(staff_user, pack, path):
    response = signed_in(staff_user).get(path)
    text = pdf_text(response) if path.endswith(".pdf") else response.text
    assert PUBLIC in text and INTERNAL in text
    assert "Internt" in text and "internt bruk" in text


def test_open_follow_ups_are_the_open_measures_the_subjects_activities_carry_out(
    client, staff_user, pack
):
    anonymous = client.get(PARTNER).text
    assert "Felles søknad med Kaunas" in anonymous
    assert "Ferdig tiltak med Kaunas" not in anonymous  # done
    staff = signed_in(staff_user).get(PARTNER).text
    # An internal measure, and a public one carried out only by an internal activity.
    assert "Intern budsjettoppfølging" in staff and "Tiltak bak et internt møte" in staff
    assert "Ferdig tiltak med Kaunas" not in staff
    # The North Sea Commission's activities carry out no other measure.
    arena = client.get(ORGANISATION).text
    assert "Felles søknad med Kaunas" in arena and "Intern budsjettoppfølging" not in arena


def test_the_agreement_that_runs_out_soon_says_so(client, pack):
    assert "utløper snart" in client.get(PARTNER).text


def test_a_long_list_shows_the_newest_and_counts_the_rest(client, strategy):
    kaunas = BilateralPartner.objects.get(slug="kaunas")
    c11 = get_commitment("1.1")
    for day in range(1, 21):
        make_activity(c11, title=f"Møte nummer {day}", days_ago=day, partners=[kaunas])
    html = client.get(PARTNER).text
    assert "Møte nummer 1<" in html and "Møte nummer 15<" in html
    assert "Møte nummer 16<" not in html
    assert "Og 5 til." in html


@pytest.mark.parametrize(
    "persona", ["anonymous", "staff_user", "other_staff_user", "editor_user", "admin_user"]
)
@pytest.mark.parametrize("path", PAGES + PDFS)
def test_everyone_may_read_a_pack_and_nobody_may_post_to_it(request, pack, persona, path):
    client = Client(enforce_csrf_checks=True)
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    assert client.get(path).status_code == 200
    # htmx asks for nothing less: the pack has no fragments, the same whole page or PDF.
    htmx = client.get(path, headers={"HX-Request": "true"})
    assert htmx.status_code == 200
    if not path.endswith(".pdf"):
        assert "<html" in htmx.text
    assert client.post(path).status_code in (403, 405)  # CSRF first for a form-less post
    client.cookies["csrftoken"] = "a" * 32
    assert client.post(path, headers={"X-CSRFToken": "a" * 32}).status_code == 405


@pytest.mark.parametrize(
    "path",
    [
        "/partnere/nowhere/brief/",
        "/partnere/nowhere/brief.pdf",
        "/partnere/organisasjoner/nowhere/brief/",
        "/partnere/organisasjoner/nowhere/brief.pdf",
    ],
)
def test_an_unknown_subject_is_a_404(client, strategy, path):
    assert client.get(path).status_code == 404


def test_the_partner_and_arena_pages_link_their_packs(client, pack):
    assert 'href="/partnere/kaunas/brief/"' in client.get("/partnere/kaunas/").text
    arena = client.get("/en/partnere/organisasjoner/cpmr-north-sea-commission/").text
    assert 'href="/en/partnere/organisasjoner/cpmr-north-sea-commission/brief/"' in arena
    page = client.get("/en" + PARTNER).text
    assert 'href="/en/partnere/kaunas/brief.pdf"' in page and "Download PDF" in page


def test_the_pdf_is_built_once_per_content_version_and_reader(
    client, staff_user, pack, settings, django_capture_on_commit_callbacks
):
    # Committed, as a request's own writes are (an uncommitted write is never cached).
    with django_capture_on_commit_callbacks(execute=True):
        BilateralPartner.objects.filter(pk=pack["kaunas"].pk).update(themes="Kultur")
    path = "/partnere/kaunas/brief.pdf"
    client.get(path)
    built = sorted(settings.PDF_CACHE_DIR.glob("*.pdf"))
    assert len(built) == 1
    mtime = built[0].stat().st_mtime_ns
    assert PUBLIC in pdf_text(client.get(path))
    assert built[0].stat().st_mtime_ns == mtime  # served from the file
    # Staff's pack is another file: it holds internal items.
    assert INTERNAL in pdf_text(signed_in(staff_user).get(path))
    assert len(list(settings.PDF_CACHE_DIR.glob("*.pdf"))) == 2
    # A change to the content rebuilds it.
    with django_capture_on_commit_callbacks(execute=True):
        Activity.objects.filter(pk=pack["public"].pk).update(title="Nytt navn på møtet")
    text = pdf_text(client.get(path))
    assert "Nytt navn på møtet" in text and PUBLIC not in text
    assert len(list(settings.PDF_CACHE_DIR.glob("*.pdf"))) == 3


@pytest.mark.parametrize("path", [PARTNER, ORGANISATION, PDFS[0]])
@pytest.mark.parametrize("persona", ["anonymous", "staff_user"])
def test_pack_queries_do_not_grow_from_10_to_500_activities(
    request, strategy, django_assert_num_queries, path, persona
):
    client = Client()
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    kaunas = BilateralPartner.objects.get(slug="kaunas")
    nsc = Organisation.objects.get(slug="cpmr-north-sea-commission")
    c11 = get_commitment("1.1")
    measures = [make_measure(c11, title=f"Tiltak {i}") for i in range(3)]
    kinds = [Activity.Kind.MEETING, Activity.Kind.DELEGATION_VISIT, Activity.Kind.PROJECT]

    def add(count: int, offset: int) -> None:
        for i in range(offset, offset + count):
            make_activity(
                c11,
                title=f"Aktivitet {i}",
                days_ago=i % 300,
                kind=kinds[i % 3],
                is_public=i % 4 != 0,
                partners=[kaunas],
                organisations=[nsc],
                measure=measures[i % 3],
            )

    def add_projects(count: int, offset: int) -> None:
        for i in range(offset, offset + count):
            project = make_project(acronym=f"P{i}", is_public=i % 4 != 0)
            project.partners.add(kaunas)
            project.organisations.add(nsc)
        for i in range(offset, offset + count):
            make_visit(c11, title=f"Besøk {i}", days_ago=i % 300, partners=[kaunas])

    add(10, 0)
    add_projects(2, 0)
    small, _ = count_queries(client.get, path)
    add(490, 10)
    add_projects(40, 2)
    assert Activity.objects.count() == 542
    with django_assert_num_queries(small):
        assert client.get(path).status_code == 200


def test_open_measures_are_planned_in_progress_or_postponed(strategy):
    from planning.models import Measure

    c11 = get_commitment("1.1")
    by_state = {}
    for state in State:
        measure = make_measure(c11, title=f"Tiltak {state}")
        if state != State.PLANNED:  # planned: the state of a measure nobody changed yet
            measure.set_state(state=state)
        by_state[state] = measure.pk
    open_ones = set(Measure.objects.open().values_list("pk", flat=True))
    assert open_ones == {by_state[s] for s in (State.PLANNED, State.IN_PROGRESS, State.POSTPONED)}


@pytest.mark.parametrize("path", PDFS)
def test_anonymous_visitors_get_the_built_pdf_from_the_page_cache(
    committed_pack, file_cache_on, settings, path
):
    # As the Årsrapport's: later visitors get the file's bytes without a query (bench/run.py).
    first = Client().get(path)
    assert first["X-Cache"] == "MISS"
    assert len(list(settings.PDF_CACHE_DIR.glob("*.pdf"))) == 1
    again = Client().get(path)
    assert again["X-Cache"] == "HIT" and again.content == first.content
    assert again["Content-Type"] == "application/pdf"
    assert again["Content-Disposition"].startswith("attachment;")
    assert f"-{timezone.localdate():%Y-%m-%d}.pdf" in again["Content-Disposition"]
    assert PUBLIC in pdf_text(again) and INTERNAL not in pdf_text(again)


# --- The pack from the cache (template tag cachedfragment) ----------------------------------


def activity_queries(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "priorities_activity" in q["sql"]]


@pytest.mark.parametrize("path", PAGES)
def test_a_second_visit_serves_the_pack_from_the_cache(
    file_cache_on, committed_pack, staff_user, path
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff = signed_in(staff_user)
    first = staff.get(path)
    with CaptureQueriesContext(connection) as queries:
        second = staff.get(path)
    assert activity_queries(queries) == []
    assert PUBLIC in second.text and INTERNAL in second.text
    pack_html = second.text[second.text.index('<div class="briefing">') :]
    assert pack_html == first.text[first.text.index('<div class="briefing">') :]


@pytest.mark.parametrize("path", PAGES)
def test_a_new_activity_shows_in_the_cached_pack_at_once(
    file_cache_on, committed_pack, staff_user, path, django_capture_on_commit_callbacks
):
    staff = signed_in(staff_user)
    assert PUBLIC in staff.get(path).text
    with django_capture_on_commit_callbacks(execute=True):
        make_activity(
            get_commitment("1.1"),
            title="Nytt møte etter mellomlagringen",
            days_ago=1,
            partners=[committed_pack["kaunas"]],
            organisations=[committed_pack["nsc"]],
        )
    assert "Nytt møte etter mellomlagringen" in staff.get(path).text


@pytest.mark.parametrize("path", PAGES)
def test_a_cached_pack_keeps_internal_items_and_names_with_those_who_may_see_them(
    file_cache_on,
    committed_pack,
    staff_user,
    editor_user,
    client,
    path,
    django_capture_on_commit_callbacks,
):
    from planning.models import Measure

    with django_capture_on_commit_callbacks(execute=True):
        Measure.objects.filter(title="Felles søknad med Kaunas").update(responsible=editor_user)
    # Staff's pack is cached first: internal items, and the responsible person named.
    staff = signed_in(staff_user).get(path).text
    assert INTERNAL in staff and editor_user.last_name in staff
    # A visitor gets a pack of their own: public items, no names.
    anonymous = client.get(path).text
    assert PUBLIC in anonymous and "Felles søknad med Kaunas" in anonymous
    assert INTERNAL not in anonymous and "Internt" not in anonymous
    assert editor_user.last_name not in anonymous
    # Signed in without staff's rights: public items only, but the names of the responsible.
    signed = signed_in(make_user("reader")).get(path).text
    assert INTERNAL not in signed and editor_user.last_name in signed
    assert editor_user.last_name not in client.get(path).text
