"""Markup that staff paste into an activity or an assessment comes out as text in every output:
public pages, htmx fragments, staff pages, the admin, the Atom feed, the JSON API, the CSV and
XLSX downloads (formulas neutralised), search results and the yearly report.

The payloads go in through the staff forms, as an attacker with a staff account would send them.
"""

import csv
import datetime
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from partners.models import BilateralPartner, Organisation
from priorities.models import Activity, StatusUpdate
from tests.factories import get_commitment
from tests.priorities.workspace_helpers import HX, activity_data, edit_data, url

TITLE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
PLACE = "<svg onload=alert(3)>"
DESCRIPTION = '<a href="javascript:alert(4)">lenke</a>\n<iframe src=//evil.example></iframe>'
NEW_DESCRIPTION = "<script>alert(9)</script>"
OUTCOME = '=HYPERLINK("http://evil.example","klikk")<b onmouseover=alert(5)>'
ASSESSMENT = "@SUM(1+1)<script>alert(6)</script>"
LINK = 'https://example.org/"onmouseover="alert(7)'

# None of these may reach a page as markup.
MARKUP = [
    "<script>alert(",
    "<img src=x",
    "<svg onload",
    '<a href="javascript:',
    "<iframe src=//evil",
    "<b onmouseover",
    '"onmouseover="',
]
# What the title looks like escaped: proof the page did show the activity.
ESCAPED_TITLE = "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"
ESCAPED_ASSESSMENT = "@SUM(1+1)&lt;script&gt;alert(6)&lt;/script&gt;"


def assert_inert(html: str, *shown: str) -> None:
    for markup in MARKUP:
        assert markup not in html
    for text in shown:
        assert text in html


@pytest.fixture
def this_year():
    return timezone.localdate().year


@pytest.fixture
def planted(strategy, staff_user, editor_user, this_year):
    """An activity and a status with payloads in every text field, through the staff forms.

    Returns the htmx fragments the staff got back, which are outputs too.
    """
    commitment = get_commitment()
    staff, editor = Client(), Client()
    staff.force_login(staff_user)
    editor.force_login(editor_user)
    data = activity_data(
        title=TITLE,
        place=PLACE,
        description=DESCRIPTION,
        outcome=OUTCOME,
        url=LINK,
        start_date=f"{this_year}-01-15",
        end_date="",
        partners=[BilateralPartner.objects.get(slug="kaunas").pk],
        organisations=[Organisation.objects.get(slug="errin").pk],
    )
    create = url("priorities:activity_create", commitment.priority.slug, commitment.number)
    logged = staff.post(create, data, **HX)
    assert logged.status_code == 200
    activity = Activity.objects.get()
    assert (activity.title, activity.place, activity.outcome) == (TITLE, PLACE, OUTCOME)
    # A change, so the history pages have payloads on both sides.
    edited = staff.post(
        url("priorities:activity_edit", activity.pk),
        edit_data(activity, description=NEW_DESCRIPTION, partners=data["partners"],
                  organisations=data["organisations"]),
        **HX,
    )  # fmt: skip
    assert edited.status_code == 200
    status = url("priorities:status_create", commitment.priority.slug, commitment.number)
    set_status = editor.post(status, {"status": "on_track", "assessment": ASSESSMENT}, **HX)
    assert set_status.status_code == 200
    activity.refresh_from_db()
    return {
        "activity": activity,
        "commitment": commitment,
        "staff": staff,
        "fragments": {"logged": logged, "edited": edited, "status set": set_status},
    }


def test_htmx_fragments_from_saving(planted):
    assert_inert(planted["fragments"]["logged"].text, ESCAPED_TITLE)
    assert_inert(planted["fragments"]["edited"].text, ESCAPED_TITLE)
    assert_inert(planted["fragments"]["status set"].text, ESCAPED_ASSESSMENT)


def test_public_pages(planted, client, this_year, subtests):
    activity, commitment = planted["activity"], planted["commitment"]
    pages = {
        "overview": ("/", [ESCAPED_TITLE]),
        "overview, English": ("/en/", [ESCAPED_TITLE]),
        "priority": (commitment.priority.get_absolute_url(), [ESCAPED_ASSESSMENT]),
        "commitment": (commitment.get_absolute_url(), [ESCAPED_TITLE, ESCAPED_ASSESSMENT]),
        "activity": (
            activity.get_absolute_url(),
            [ESCAPED_TITLE, "&lt;svg onload=alert(3)&gt;", "&lt;script&gt;alert(9)&lt;/script&gt;",
             "&lt;b onmouseover=alert(5)&gt;"],
        ),
        "partner": ("/partnere/kaunas/", [ESCAPED_TITLE]),
        "organisation": ("/partnere/organisasjoner/errin/", [ESCAPED_TITLE]),
        "search": ("/aktiviteter/?commitment=1.1", [ESCAPED_TITLE]),
        "search by a word": ("/aktiviteter/?q=klikk", [ESCAPED_TITLE]),
        "report": (f"/rapport/{this_year}/", [ESCAPED_TITLE, ESCAPED_ASSESSMENT]),
    }  # fmt: skip
    for name, (path, shown) in pages.items():
        with subtests.test(page=name):
            response = client.get(path)
            assert response.status_code == 200
            assert_inert(response.text, *shown)
    with subtests.test(page="search results, htmx"):
        response = client.get("/aktiviteter/?commitment=1.1", **HX)
        assert "<html" not in response.text
        assert_inert(response.text, ESCAPED_TITLE)


def test_the_link_is_an_attribute_value_not_markup(planted, client):
    html = client.get(planted["activity"].get_absolute_url()).text
    assert 'href="https://example.org/&quot;onmouseover=&quot;alert(7)"' in html


def test_staff_pages_and_fragments(planted, subtests):
    staff, activity = planted["staff"], planted["activity"]
    pages = {
        "commitment": (planted["commitment"].get_absolute_url(), {}),
        "my work": (url("priorities:my_work"), {}),
        "history": (url("priorities:activity_history", activity.pk), {}),
        "edit form": (url("priorities:activity_edit", activity.pk), {}),
        "edit form, htmx": (url("priorities:activity_edit", activity.pk), HX),
        "cancel edit, htmx": (url("priorities:activity_edit", activity.pk) + "?cancel=1", HX),
        "delete form, htmx": (url("priorities:activity_delete", activity.pk), HX),
    }
    for name, (path, headers) in pages.items():
        with subtests.test(page=name):
            response = staff.get(path, **headers)
            assert response.status_code == 200
            assert_inert(response.text, "&lt;script&gt;alert(1)&lt;/script&gt;")
    with subtests.test(page="history shows both versions"):
        html = staff.get(url("priorities:activity_history", activity.pk)).text
        assert "&lt;iframe src=//evil.example&gt;" in html
        assert "&lt;script&gt;alert(9)&lt;/script&gt;" in html


def test_admin(planted, admin_client, subtests):
    pk, status_pk = planted["activity"].pk, StatusUpdate.objects.get().pk
    pages = [
        "/admin/priorities/activity/",
        "/admin/priorities/activity/?q=alert",
        f"/admin/priorities/activity/{pk}/change/",
        f"/admin/priorities/activity/{pk}/history/",
        f"/admin/priorities/statusupdate/{status_pk}/change/",
    ]
    for path in pages:
        with subtests.test(page=path):
            response = admin_client.get(path)
            assert response.status_code == 200
            assert_inert(response.text)
            assert "&lt;script&gt;alert(" in response.text


def test_atom_feeds(planted, client, subtests):
    commitment = planted["commitment"]
    atom = "{http://www.w3.org/2005/Atom}"
    for path in ("/feed/", f"{commitment.get_absolute_url()}feed/"):
        with subtests.test(feed=path):
            response = client.get(path)
            entry = ET.fromstring(response.content).find(f"{atom}entry")
            title = entry.find(f"{atom}title")
            # A text title: a reader shows it as it is (XML escaping round-trips it).
            assert title.get("type") in (None, "text") and title.text == TITLE
            summary = entry.find(f"{atom}summary")
            assert summary.get("type") == "html"
            # The HTML summary, once the XML is read, has the user's text escaped once more.
            assert_inert(summary.text, "&lt;script&gt;alert(9)&lt;/script&gt;")
            assert "&lt;b onmouseover=alert(5)&gt;" in summary.text


def test_json_api_gives_the_text_back_as_data(planted, client):
    response = client.get("/api/activities/")
    assert response["Content-Type"] == "application/json"
    assert response["X-Content-Type-Options"] == "nosniff"
    result = response.json()["results"][0]
    assert (result["title"], result["place"], result["outcome"], result["link"]) == (
        TITLE,
        PLACE,
        OUTCOME,
        LINK,
    )
    strategy = client.get("/api/strategy/").json()
    assessments = [
        c["status"]["assessment"]
        for p in strategy["priorities"]
        for c in p["commitments"]
        if c["status"]
    ]
    assert assessments == [ASSESSMENT]


def test_csv_neutralises_formulas(planted, client, this_year):
    response = client.get(f"/rapport/{this_year}/aktiviteter.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0]["title"] == TITLE
    assert rows[0]["outcome"] == "'" + OUTCOME
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_xlsx_has_no_formulas(planted, client, this_year):
    response = client.get(f"/rapport/{this_year}/aktiviteter.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)
    values = [cell.value for cell in cells]
    assert TITLE in values and "'" + OUTCOME in values


# --- No template or view marks user text safe ------------------------------------------------

SOURCE = Path(settings.BASE_DIR)


def test_no_template_turns_escaping_off():
    offenders = []
    for template in (SOURCE / "templates").rglob("*.html"):
        text = template.read_text()
        for pattern in (r"\|\s*safe\b", r"\|\s*safeseq\b", r"{%\s*autoescape\s+off"):
            if re.search(pattern, text):
                offenders.append(f"{template.relative_to(SOURCE)}: {pattern}")
    assert offenders == []


def test_no_python_marks_text_safe():
    offenders = []
    for package in ("priorities", "partners", "strategy_portal"):
        for module in (SOURCE / package).rglob("*.py"):
            if "migrations" in module.parts:
                continue
            for number, line in enumerate(module.read_text().splitlines(), start=1):
                if re.search(r"\b(mark_safe|SafeString|SafeText)\b", line):
                    offenders.append(f"{module.relative_to(SOURCE)}:{number}")
    assert offenders == []


def test_due_items_on_my_work_are_inert(strategy, client):
    # "Due" on my work (reporting.due): a measure's title and an editor's return comment.
    from reporting.models import Entry, EntryState
    from tests.factories import make_measure, make_owner
    from tests.reporting.helpers import entry_of, open_round

    owner = make_owner(get_commitment("1.1"))
    entry = entry_of(open_round())
    Entry.objects.filter(pk=entry.pk).update(state=EntryState.RETURNED, return_comment=TITLE)
    late = timezone.localdate() - datetime.timedelta(days=2)
    make_measure(get_commitment("1.1"), year=late.year, deadline=late, title=PLACE,
                 responsible=owner)  # fmt: skip
    client.force_login(owner)
    html = client.get(url("priorities:my_work")).text
    due = html.split('id="due-heading"')[1].split("</section>")[0]
    assert_inert(due, ESCAPED_TITLE, "&lt;svg onload=alert(3)&gt;")


def test_seats_and_fees_are_text_on_the_organisation_page(client, strategy):
    """An admin's seat and fee texts (body, names, note) are shown, never run."""
    from partners.models import Organisation
    from tests.factories import make_fee, make_seat

    errin = Organisation.objects.get(slug="errin")
    make_seat(errin, body=TITLE, representative=PLACE, deputy=ASSESSMENT)
    make_fee(errin, 2025, note=TITLE)
    response = client.get("/partnere/organisasjoner/errin/")
    assert response.status_code == 200
    assert_inert(response.text, ESCAPED_TITLE, "&lt;svg onload=alert(3)&gt;", ESCAPED_ASSESSMENT)
    assert api_seat_body(client) == TITLE


def api_seat_body(client) -> str:
    rows = client.get("/api/organisations/").json()["results"]
    return next(row for row in rows if row["slug"] == "errin")["seats"][0]["body"]["nb"]
