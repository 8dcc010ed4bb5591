import csv
import datetime
import io

import pytest
from openpyxl import load_workbook

from counties.models import County
from partners.models import BilateralPartner, Organisation, Programme
from priorities.exchange import HEADER, neutralise, restore
from tests.factories import get_commitment, make_activity
from tests.query_counts import count_queries


@pytest.fixture
def commitment(strategy):
    """Commitment 3.1, which the expected rows below name."""
    return get_commitment("3.1")


def csv_rows(response) -> list[list[str]]:
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")  # BOM, so Excel reads UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))


def xlsx_rows(response) -> list[list]:
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_csv_is_utf8_with_bom_semicolons_and_the_documented_columns(client, commitment):
    activity = make_activity(
        commitment,
        title="Søknad om Interreg-prosjekt; grønn skipsfart",
        place="Tønsberg",
        country="NO",
        description="Første linje.\nAndre linje.",
        end_date=datetime.date(2025, 3, 2),
        programme=Programme.objects.get(slug="interreg-oks"),
        county=County.objects.get(slug="telemark"),
        url="https://example.org/prosjekt",
    )
    activity.partners.add(BilateralPartner.objects.get(slug="kaunas"))
    activity.organisations.add(
        Organisation.objects.get(slug="errin"), Organisation.objects.get(slug="euregha")
    )
    response = client.get("/rapport/2025/aktiviteter.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="aktiviteter-2025.csv"'
    assert b";" in response.content.splitlines()[0]
    rows = csv_rows(response)
    assert rows[0] == HEADER
    assert dict(zip(HEADER, rows[1], strict=True)) == {
        "id": str(activity.pk),
        "commitment": "3.1",
        "title": "Søknad om Interreg-prosjekt; grønn skipsfart",
        "kind": "meeting",
        "start_date": "2025-03-01",
        "end_date": "2025-03-02",
        "place": "Tønsberg",
        "country": "NO",
        "description": "Første linje.\nAndre linje.",
        "outcome": "",
        "partners": "kaunas",
        "organisations": "errin, euregha",
        "programme": "interreg-oks",
        "county": "telemark",
        "url": "https://example.org/prosjekt",
        "public": "yes",
        "example": "no",
        "measure": "",
    }


def test_xlsx_has_the_same_columns_and_values_as_csv(client, commitment):
    make_activity(commitment, title="Æ ø å", place="Skien", start_date=datetime.date(2025, 5, 2))
    make_activity(commitment, title="Andre", start_date=datetime.date(2025, 1, 9))
    response = client.get("/en/rapport/2025/aktiviteter.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert "aktiviteter-2025.xlsx" in response["Content-Disposition"]
    sheet_rows = xlsx_rows(response)
    text_rows = csv_rows(client.get("/rapport/2025/aktiviteter.csv"))
    assert sheet_rows[0] == HEADER == text_rows[0]
    assert len(sheet_rows) == len(text_rows) == 3
    for sheet_row, text_row in zip(sheet_rows[1:], text_rows[1:], strict=True):
        as_text = [
            value.date().isoformat()
            if isinstance(value, datetime.datetime)
            else ("" if value is None else str(value))
            for value in sheet_row
        ]
        assert as_text == text_row
    # Chronological, dates as real dates in the workbook.
    assert [row[2] for row in sheet_rows[1:]] == ["Andre", "Æ ø å"]
    assert sheet_rows[1][4] == datetime.datetime(2025, 1, 9)


@pytest.mark.parametrize(
    "text",
    ['=HYPERLINK("http://evil.example")', "+47 123", "-2+3", "@SUM(A1)", "\tx", "\rx"],
)
def test_formula_cells_are_neutralised_in_csv_and_xlsx(client, commitment, text):
    make_activity(commitment, title=text, place=text, description=text, outcome=text)
    cells = dict(zip(HEADER, csv_rows(client.get("/rapport/2025/aktiviteter.csv"))[1], strict=True))
    for column in ("title", "place", "description", "outcome"):
        assert cells[column] == "'" + text
    workbook = load_workbook(io.BytesIO(client.get("/rapport/2025/aktiviteter.xlsx").content))
    row = list(workbook.worksheets[0].iter_rows(min_row=2, max_row=2))[0]
    for cell in row:
        # No cell is a formula; the text ones carry the apostrophe.
        assert cell.data_type != "f"
    title = row[HEADER.index("title")]
    assert title.data_type == "s"
    # XML keeps a carriage return as a line feed.
    assert title.value == "'" + text.replace("\r", "\n")


def test_neutralise_and_restore_are_exact_inverses():
    for text in ["", "plain", "=1+1", "'=1+1", "''@x", "'quoted'", "-", "a=b", "'"]:
        assert restore(neutralise(text)) == text
    assert neutralise("a=b") == "a=b"
    assert neutralise("'=1") == "''=1"


def test_downloads_leave_out_internal_activities_even_for_editors(editor_client, commitment):
    make_activity(commitment, title="Åpen aktivitet")
    make_activity(commitment, title="Intern aktivitet", is_public=False)
    for suffix in ("csv", "xlsx"):
        response = editor_client.get(f"/rapport/2025/aktiviteter.{suffix}")
        assert response.status_code == 200
        rows = csv_rows(response) if suffix == "csv" else xlsx_rows(response)
        titles = [row[HEADER.index("title")] for row in rows[1:]]
        assert titles == ["Åpen aktivitet"]


def test_downloads_hold_only_the_year(client, commitment):
    make_activity(commitment, title="2024", start_date=datetime.date(2024, 12, 31))
    make_activity(commitment, title="2025", start_date=datetime.date(2025, 1, 1))
    rows = csv_rows(client.get("/rapport/2024/aktiviteter.csv"))
    assert [row[2] for row in rows[1:]] == ["2024"]


@pytest.mark.parametrize(
    "path", ["/rapport/1999/aktiviteter.csv", "/rapport/2999/aktiviteter.xlsx"]
)
def test_download_for_an_unknown_year_is_404(client, strategy, path):
    assert client.get(path).status_code == 404


def test_download_rejects_post(client, strategy):
    assert client.post("/rapport/2025/aktiviteter.csv").status_code == 405


def test_download_query_count_does_not_grow_with_the_data(client, commitment):
    partner = BilateralPartner.objects.get(slug="hubei")

    def queries() -> int:
        return count_queries(client.get, "/rapport/2025/aktiviteter.xlsx")[0]

    make_activity(commitment).partners.add(partner)
    few = queries()
    for day in range(1, 25):
        make_activity(commitment, start_date=datetime.date(2025, 4, day)).partners.add(partner)
    assert queries() == few


@pytest.mark.parametrize(
    "path", ["/rapport/2025/aktiviteter.csv", "/rapport/2025/aktiviteter.xlsx"]
)
def test_downloads_name_the_activitys_measure_when_it_is_public(client, commitment, path):
    from tests.factories import make_measure

    public = make_measure(commitment, year=2025, title="Felles søknadsverksted")
    internal = make_measure(commitment, year=2025, title="Hemmelig budsjett", is_public=False)
    make_activity(commitment, title="Verksted i mars", measure=public)
    make_activity(commitment, title="Budsjettmøte", measure=internal)
    make_activity(commitment, title="Uten tiltak")
    response = client.get(path)
    rows = csv_rows(response) if path.endswith(".csv") else xlsx_rows(response)
    assert rows[0][-1] == "measure"  # added last: the columns before keep their places
    # An empty cell: "" in CSV, None in XLSX.
    measures = {row[HEADER.index("title")]: row[HEADER.index("measure")] or "" for row in rows[1:]}
    # An internal measure's title never leaves in a public download.
    assert measures == {
        "Verksted i mars": "Felles søknadsverksted",
        "Budsjettmøte": "",
        "Uten tiltak": "",
    }
    assert "Hemmelig budsjett" not in response.content.decode("utf-8", "replace")


@pytest.mark.parametrize(
    ("language", "help_text"),
    [
        ("", "Tittelen på tiltaket i handlingsplanen som aktiviteten gjennomfører"),
        ("/nn", "Importen ser bort frå han."),
        ("/en", "The title of the action plan's measure the activity carries out"),
    ],
)
def test_the_format_description_explains_the_measure_column(client, strategy, language, help_text):
    html = client.get(f"{language}/rapport/2025/").text
    assert "<code>measure</code>" in html
    assert help_text.replace("'", "&#x27;") in html
