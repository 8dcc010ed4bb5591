"""The yearly report to the county council (Årsrapport): an approved round on the web and as
a tagged PDF, approved by an editor only when every entry is, built once per content version."""

import datetime
import io

import pypdf
import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from partners.models import BilateralPartner
from priorities.models import Activity
from priorities.reports import LATEST_PER_KIND
from reporting.annual import APPENDIX_LIMIT
from reporting.models import Round
from tests.factories import get_commitment, make_activity, make_measure, make_user
from tests.reporting.helpers import HX, INTRODUCTION, YEAR, approve_all, entry_of, open_round, url

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
LAST = YEAR - 1


@pytest.fixture
def editor(db):
    return make_user("redaktor", "Redaktør")


@pytest.fixture
def approved(strategy, editor, django_capture_on_commit_callbacks):
    """Last year's round, approved as the yearly report, with public and internal content.
    Committed, as an editor's writes are before anyone asks for the report: a PDF is kept
    only under a content version that counts every write (strategy_portal.pdf)."""
    commitment = get_commitment("1.1")
    with django_capture_on_commit_callbacks(execute=True):
        make_activity(commitment, title="Offentlig samling i Brussel", start_date=f"{LAST}-03-01")
        make_activity(
            commitment, title="Intern forberedelse", start_date=f"{LAST}-03-02", is_public=False
        )
        make_activity(commitment, title="Fjorårets møte", start_date=f"{LAST - 1}-05-01")
        make_measure(commitment, year=LAST, title="Offentlig søknadsverksted")
        make_measure(commitment, year=LAST, title="Internt tiltak", is_public=False)
        return approve_all(open_round(LAST), editor)


def read_pdf(data: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(data))


# --- The rule: approved only when every entry is --------------------------------------------


def test_the_report_cannot_be_approved_while_an_entry_is_not(strategy, editor):
    the_round = approve_all(open_round(LAST), editor, report=False)
    entry = entry_of(the_round, "2.1")
    entry.reopen(editor)
    the_round.introduction = INTRODUCTION
    with pytest.raises(ValidationError, match="1 svar er ikke godkjent ennå"):
        the_round.approve_report(editor)
    entry.approve(editor)
    the_round.approve_report(editor)
    assert Round.objects.report_approved().get() == the_round


def test_the_report_needs_an_introduction(strategy, editor):
    the_round = approve_all(open_round(LAST), editor, report=False)
    with pytest.raises(ValidationError, match="Skriv innledningen"):
        the_round.approve_report(editor)


def test_an_approved_report_freezes_its_entries_until_withdrawn(approved, editor):
    entry = entry_of(approved, "1.1")
    assert not entry.can_write(editor) and not entry.can_reopen(editor)
    approved.withdraw_report(editor)
    entry.round.refresh_from_db()
    assert entry.can_reopen(editor)


# --- The editor's page ------------------------------------------------------------------------


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_an_editor_refused_with_entries_left_gets_409_and_nothing_saved(strategy, editor, htmx):
    the_round = open_round(LAST)
    client = Client()
    client.force_login(editor)
    path = url("reporting:round_report", LAST)
    data = {"introduction": "Ny innledning.", "action": "approve"}
    response = client.post(path, data, **(HX if htmx else {}))
    assert response.status_code == 409
    assert "10 svar er ikke godkjent ennå." in response.text
    assert ("<html" in response.text) is not htmx
    the_round.refresh_from_db()
    assert the_round.introduction == "" and not the_round.report_is_approved


def test_an_unknown_action_or_too_long_introduction_is_422(strategy, editor):
    open_round(LAST)
    client = Client()
    client.force_login(editor)
    path = url("reporting:round_report", LAST)
    assert client.post(path, {"introduction": "x", "action": "burn"}).status_code == 422
    response = client.post(path, {"introduction": "x" * 10001, "action": "save"})
    assert response.status_code == 422 and "error-summary" in response.text
    assert Round.objects.get().introduction == ""


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_an_editor_writes_the_introduction_approves_and_withdraws(strategy, editor, htmx):
    the_round = approve_all(open_round(LAST), editor, report=False)
    client = Client()
    client.force_login(editor)
    path = url("reporting:round_report", LAST)
    headers = HX if htmx else {}
    response = client.post(path, {"introduction": INTRODUCTION, "action": "approve"}, **headers)
    assert response.status_code == (200 if htmx else 303)
    the_round.refresh_from_db()
    assert the_round.report_is_approved and the_round.report_approved_by == editor
    assert the_round.introduction == INTRODUCTION
    if htmx:
        assert 'id="report-panel"' in response.text and "<html" not in response.text
    # Approved, the introduction is frozen: a change is refused.
    response = client.post(path, {"introduction": "Endret.", "action": "save"}, **headers)
    assert response.status_code == 409
    the_round.refresh_from_db()
    assert the_round.introduction == INTRODUCTION
    response = client.post(path, {"action": "withdraw"}, **headers)
    assert response.status_code == (200 if htmx else 303)
    the_round.refresh_from_db()
    assert not the_round.report_is_approved
    assert Client().get(url("reporting:annual_report", LAST)).status_code == 404


# --- The public page ------------------------------------------------------------------------


def test_no_annual_report_before_the_round_is_approved(strategy, editor):
    approve_all(open_round(LAST), editor, report=False)
    assert Client().get(url("reporting:annual_report", LAST)).status_code == 404
    assert Client().get(url("reporting:annual_report_pdf", LAST)).status_code == 404
    # The yearly report stays the year's report, without a link.
    html = Client().get(url("priorities:report", LAST)).text
    assert url("reporting:annual_report", LAST) not in html


@pytest.mark.parametrize(
    "prefix, heading, done",
    [("", "Årsrapport", "Gjennomført"), ("/nn", "Årsrapport", "Gjennomført"),
     ("/en", "Annual report", "Done")],
)  # fmt: skip
def test_the_annual_report_on_the_web(approved, prefix, heading, done):
    html = Client().get(prefix + url("reporting:annual_report", LAST)).text
    assert f"{heading} {LAST}" in html and f">{done}<" in html
    assert "Et år med mye samarbeid." in html
    for entry in approved.entries.select_related("commitment"):
        assert (
            entry.commitment.code in html and entry.assessment in html and entry.next_steps in html
        )
    assert "Offentlig samling i Brussel" in html and "Offentlig søknadsverksted" in html
    assert "Intern forberedelse" not in html and "Internt tiltak" not in html
    assert url("reporting:annual_report_pdf", LAST) in html


def test_the_yearly_report_and_its_index_link_to_the_annual_report(approved):
    link = url("reporting:annual_report", LAST)
    assert link in Client().get(url("priorities:report", LAST)).text
    assert link in Client().get(url("priorities:report_index")).text


def test_another_strategy_has_its_own_address(approved):
    other = url("reporting:annual_report", LAST).replace("/rapport/", "/strategier/annen/rapport/")
    assert Client().get(other).status_code == 404


# --- The PDF ------------------------------------------------------------------------------


def test_the_pdf_has_the_headings_each_commitment_and_page_numbers(approved):
    response = Client().get(url("reporting:annual_report_pdf", LAST))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f'filename="arsrapport-{LAST}.pdf"' in response["Content-Disposition"]
    reader = read_pdf(response.content)
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    assert reader.trailer["/Root"]["/Lang"] == "nb"
    pages = [page.extract_text() for page in reader.pages]
    text = "\n".join(pages)
    count = len(pages)
    for number, page in enumerate(pages, 1):
        assert f"{number} / {count}" in page
    headings = [f"Årsrapport {LAST}", "Innhold", "Innledning", "Nøkkeltall", "Gjennomført"]
    headings += ["Vurdering", "Videre arbeid", "Vedlegg: aktivitetene"]
    for heading in headings:
        assert heading in text, heading
    for entry in approved.entries.select_related("commitment"):
        assert entry.assessment in text.replace("\n", " "), entry.commitment.code
    assert "Offentlig samling i Brussel" in text and "Intern forberedelse" not in text
    assert "Offentlig søknadsverksted" in text and "Internt tiltak" not in text


def structure_roles(node, roles=None) -> list[str]:
    """The structure tree's element types (/S), depth first: what a screen reader reads."""
    roles = [] if roles is None else roles
    node = node.get_object() if hasattr(node, "get_object") else node
    if isinstance(node, pypdf.generic.ArrayObject):
        for child in node:
            structure_roles(child, roles)
    elif isinstance(node, pypdf.generic.DictionaryObject):
        if "/S" in node:
            roles.append(str(node["/S"]))
        if "/K" in node:
            structure_roles(node["/K"], roles)
    return roles


def test_the_pdf_appendix_lists_every_public_activity_a_line_each_under_its_commitment(
    approved,
):
    kaunas = BilateralPartner.objects.get(slug="kaunas")
    make_activity(
        get_commitment("2.1"),
        title="Besøk fra Kaunas",
        place="Skien",
        start_date=f"{LAST}-06-02",
        partners=[kaunas],
    )
    reader = read_pdf(Client().get(url("reporting:annual_report_pdf", LAST)).content)
    text = "\n".join(page.extract_text() for page in reader.pages)
    appendix = text[text.rindex("Vedlegg: aktivitetene") :]
    assert "dato · aktivitet · sted · partnere" in appendix
    first = appendix.index("1.1 ")
    line = appendix.index(f"01.03.{LAST} · Offentlig samling i Brussel · —")
    second = appendix.index("2.1 ")
    assert first < line < second
    assert f"02.06.{LAST} · Besøk fra Kaunas · Skien · Kaunas" in appendix[second:]
    assert "Intern forberedelse" not in appendix
    # Tagged as lists, an item an activity, for screen readers (the report's two, at least).
    roles = structure_roles(reader.trailer["/Root"]["/StructTreeRoot"])
    assert "/L" in roles and roles.count("/LI") >= 2


def test_the_pdf_is_served_from_the_cache_until_the_content_changes(
    approved, settings, django_capture_on_commit_callbacks
):
    path = url("reporting:annual_report_pdf", LAST)
    first = Client().get(path).content
    built = list(settings.PDF_CACHE_DIR.glob("*.pdf"))
    assert len(built) == 1
    stamp = built[0].stat().st_mtime_ns
    again = Client().get(path).content
    assert again == first  # the same file, not built again:
    assert (
        built[0].stat().st_mtime_ns == stamp
        and len(list(settings.PDF_CACHE_DIR.glob("*.pdf"))) == 1
    )
    # A change to the content (committed: it bumps the content version) builds a new one.
    with django_capture_on_commit_callbacks(execute=True):
        make_activity(
            get_commitment("2.1"), title="Ny samling i Kaunas", start_date=f"{LAST}-09-09"
        )
    changed = Client().get(path).content
    assert len(list(settings.PDF_CACHE_DIR.glob("*.pdf"))) == 2
    assert "Ny samling i Kaunas" in "".join(p.extract_text() for p in read_pdf(changed).pages)
    assert "Ny samling i Kaunas" not in "".join(p.extract_text() for p in read_pdf(first).pages)


def test_each_language_has_its_own_pdf(approved, settings):
    nb = read_pdf(Client().get(url("reporting:annual_report_pdf", LAST)).content)
    en_path = "/en" + url("reporting:annual_report_pdf", LAST)
    en = read_pdf(Client().get(en_path).content)
    assert en.trailer["/Root"]["/Lang"] == "en"
    assert f"Annual report {LAST}" in en.pages[0].extract_text()
    assert f"Årsrapport {LAST}" in nb.pages[0].extract_text()


def test_a_year_with_many_activities_lists_the_latest_in_the_appendix(approved):
    # Above APPENDIX_LIMIT the appendix lists the latest per commitment and kind (as the
    # yearly report does) and points to the spreadsheet with all of them.
    Activity.objects.bulk_create(
        Activity(
            commitment=get_commitment("1.2"),
            title=f"Møte nummer {n}",
            kind=Activity.Kind.MEETING,
            start_date=datetime.date(LAST, 1, 1) + datetime.timedelta(days=n % 360),
        )
        for n in range(APPENDIX_LIMIT + 1)
    )
    html = Client().get(url("reporting:annual_report", LAST)).text
    assert f"Det var {APPENDIX_LIMIT + 2} offentlige aktiviteter i {LAST}" in html
    assert "de siste per forpliktelse og type" in html
    assert html.count("Møte nummer") == LATEST_PER_KIND
    assert url("priorities:report_xlsx", LAST) in html


def test_anonymous_visitors_get_the_built_pdf_from_the_page_cache(approved, file_cache_on):
    path = url("reporting:annual_report_pdf", LAST)
    first = Client().get(path)
    assert first["X-Cache"] == "MISS"
    again = Client().get(path)
    assert again["X-Cache"] == "HIT" and again.content == first.content
    assert again["Content-Type"] == "application/pdf"
    assert f'filename="arsrapport-{LAST}.pdf"' in again["Content-Disposition"]


@pytest.mark.django_db(transaction=True)
def test_with_a_task_worker_no_request_waits_for_the_pdf(approved, settings):
    """Production's path (TASKS_BACKEND=database): the first request for a version's PDF only
    queues its build and says so (202, Retry-After); more requests meanwhile queue nothing
    more; once db_worker has built it, the file is served. Transactional: the worker closes
    the database connection when it is done."""
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    path = url("reporting:annual_report_pdf", LAST)
    first = Client().get(path)
    assert first.status_code == 202
    assert first["Retry-After"] == "15" and "no-store" in first["Cache-Control"]
    assert f"PDF-en av årsrapporten {LAST} lages" in first.text
    assert url("reporting:annual_report", LAST) in first.text  # the web version meanwhile
    english = Client().get("/en" + path)  # another language: a PDF, and a build, of its own
    assert english.status_code == 202
    assert f"The PDF of the annual report {LAST} is being made" in english.text
    assert Client().get(path).status_code == 202
    assert DBTaskResult.objects.count() == 2  # one build per language, however many asked
    assert {r.task_path for r in DBTaskResult.objects.all()} == {
        "reporting.tasks.build_annual_report_pdf"
    }

    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO())

    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    done = Client().get(path)
    assert done.status_code == 200 and done["Content-Type"] == "application/pdf"
    assert f"Årsrapport {LAST}" in read_pdf(done.content).pages[0].extract_text()
    assert Client().get("/en" + path)["Content-Type"] == "application/pdf"


def test_a_cache_outage_still_serves_the_pdf_built_afresh(approved, settings, caplog):
    # Nothing listens on port 1: the content version cannot be read, so no built file can be
    # trusted to be current. The PDF is built for this request and not kept, as a briefing
    # pack's is (strategy_portal.pdf.content_version_key); never a 500.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    response = Client().get(url("reporting:annual_report_pdf", LAST))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert f"Årsrapport {LAST}" in read_pdf(response.content).pages[0].extract_text()
    assert "page cache unavailable" in caplog.text
    assert not list(settings.PDF_CACHE_DIR.glob("*.pdf"))
