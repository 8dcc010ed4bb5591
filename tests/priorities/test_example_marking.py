"""Invented demo content is marked "Example" wherever it appears: the status badges of the
overview, priority, commitment, report and "my work" pages, the Atom feed, the CSV and XLSX
downloads and the open data API (and its OpenAPI document describes the field).
"""

import csv
import datetime
import io
import re
import xml.etree.ElementTree as ET

import jsonschema
import pytest
from django.utils import timezone
from openpyxl import load_workbook

from priorities.exchange import HEADER, IMPORT_HEADER, build_plan, read_table
from priorities.feeds import EXAMPLE_CATEGORY
from priorities.models import Commitment, Status
from priorities.openapi import openapi_document
from tests.factories import get_commitment, make_activity, make_status_update

ATOM = "{http://www.w3.org/2005/Atom}"
BADGE = re.compile(
    r'<span class="status status--(\w+)">.*?</span>[^<]*</span>'
    r'( <span class="badge badge--example">)?',
    re.S,
)
EXAMPLE = "Eksempel: delegasjon til Kaunas"
REAL = "Møte i Nordsjøkommisjonen"


def badges(html: str) -> list[tuple[str, bool]]:
    """The status badges of a page in order: (status, marked as an example)."""
    return [(status, bool(example)) for status, example in BADGE.findall(html)]


@pytest.fixture
def data(strategy, staff_user):
    """1.1's current status is an example (a real one before it); 1.2's is real (an example
    before it). One example and one real public activity this year."""
    c11, c12 = get_commitment("1.1"), get_commitment("1.2")
    make_status_update(c11, status=Status.OFF_TRACK, days_ago=10)
    make_status_update(c11, status=Status.ON_TRACK, days_ago=1, is_example=True)
    make_status_update(c12, status=Status.OFF_TRACK, days_ago=10, is_example=True)
    make_status_update(c12, status=Status.NEEDS_ATTENTION, days_ago=1)
    this_year = timezone.localdate().year
    day = datetime.date(this_year, 1, 15)
    make_activity(c11, title=EXAMPLE, start_date=day, is_example=True)
    make_activity(c12, title=REAL, start_date=day)
    c11.owners.add(staff_user)
    return {"c11": c11, "c12": c12, "year": this_year}


def test_with_status_says_whether_the_current_status_is_an_example(data):
    rows = {c.code: c for c in Commitment.objects.with_status()}
    assert rows["1.1"].current_status_is_example is True
    assert rows["1.2"].current_status_is_example is False
    assert rows["1.3"].current_status_is_example is None  # no status yet


def test_overview_badges_mark_an_example_status(client, data):
    found = badges(client.get("/").text)
    assert found[:3] == [("on_track", True), ("needs_attention", False), ("none", False)]


def test_priority_page_badges_mark_an_example_status(client, data):
    found = badges(client.get(data["c11"].priority.get_absolute_url()).text)
    assert found[:2] == [("on_track", True), ("needs_attention", False)]


def test_commitment_page_marks_its_current_status_and_history(client, data):
    found = badges(client.get(data["c11"].get_absolute_url()).text)
    # The summary, then the history, newest first.
    assert found == [("on_track", True), ("on_track", True), ("off_track", False)]
    found = badges(client.get(data["c12"].get_absolute_url()).text)
    assert found == [("needs_attention", False), ("needs_attention", False), ("off_track", True)]


def test_report_marks_an_example_status(client, data):
    found = badges(client.get(f"/rapport/{data['year']}/").text)
    assert found[:2] == [("on_track", True), ("needs_attention", False)]


def test_my_work_marks_an_example_status(staff_client, data):
    found = badges(staff_client.get("/mitt-arbeid/").text)
    assert found and all(example for _status, example in found)


def test_feed_marks_example_activities_in_title_and_category(client, data):
    root = ET.fromstring(client.get("/en/feed/").content)
    entries = {}
    for entry in root.iter(f"{ATOM}entry"):
        terms = {c.get("term") for c in entry.findall(f"{ATOM}category")}
        entries[entry.find(f"{ATOM}title").text] = (terms, entry.find(f"{ATOM}summary").text)
    terms, summary = entries[f"Example: {EXAMPLE}"]
    assert EXAMPLE_CATEGORY in terms
    assert "invented example" in summary
    terms, summary = entries[REAL]
    assert EXAMPLE_CATEGORY not in terms
    assert "invented" not in summary
    assert {"Eksempel: " + EXAMPLE, REAL} <= {
        e.find(f"{ATOM}title").text
        for e in ET.fromstring(client.get("/feed/").content).iter(f"{ATOM}entry")
    }


def test_csv_and_xlsx_have_an_example_column(client, data):
    year = data["year"]
    content = client.get(f"/rapport/{year}/aktiviteter.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content, newline=""), delimiter=";"))
    assert rows[0] == HEADER and "example" in HEADER
    by_title = {row[HEADER.index("title")]: row[HEADER.index("example")] for row in rows[1:]}
    assert by_title == {EXAMPLE: "yes", REAL: "no"}

    response = client.get(f"/rapport/{year}/aktiviteter.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADER
    by_title = {row[HEADER.index("title")]: row[HEADER.index("example")] for row in rows[1:]}
    assert by_title == {EXAMPLE: "yes", REAL: "no"}


def test_the_import_ignores_the_example_column_and_reads_files_without_it(client, data):
    """The column is the downloads'; an imported file may leave it out, and a changed value
    changes nothing (nobody makes real content an example, nor the reverse, by import)."""
    year = data["year"]
    content = client.get(f"/rapport/{year}/aktiviteter.csv").content
    table = read_table("aktiviteter.csv", content)
    for _number, cells in table:
        cells[HEADER.index("example")] = "no" if cells[HEADER.index("example")] == "yes" else "yes"
    plan = build_plan(table, strategy=data["c11"].priority.strategy)
    assert plan.is_valid
    assert [row.action for row in plan.rows] == ["unchanged", "unchanged"]

    without = "\n".join(
        ";".join(row[: len(IMPORT_HEADER)])
        for row in csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";")
    )
    table = read_table("aktiviteter.csv", without.encode())
    plan = build_plan(table, strategy=data["c11"].priority.strategy)
    assert plan.is_valid and plan.unchanged == 2


def schema_of(document: dict, name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(
        {"$ref": f"#/components/schemas/{name}", "components": document["components"]}
    )


def test_api_marks_example_statuses_and_activities(client, data):
    document = openapi_document()
    assert "is_example" in document["components"]["schemas"]["Status"]["required"]

    strategy = client.get("/api/strategy/").json()
    schema_of(document, "Strategy").validate(strategy)
    statuses = {c["code"]: c["status"] for p in strategy["priorities"] for c in p["commitments"]}
    assert statuses["1.1"]["is_example"] is True
    assert statuses["1.2"]["is_example"] is False
    assert statuses["1.3"] is None

    activities = client.get("/api/activities/").json()
    schema_of(document, "ActivityPage").validate(activities)
    marks = {a["title"]: a["is_example"] for a in activities["results"]}
    assert marks == {EXAMPLE: True, REAL: False}
