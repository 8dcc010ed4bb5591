"""Activities and status updates attributed to a county authority, and the county filter of the
search, the yearly report (and its downloads) and the API (issue 13, item 2)."""

import csv
import datetime
import io

import pytest
from django.test import Client

from counties.models import County
from priorities import exchange
from priorities.models import Activity, StatusUpdate
from tests.factories import make_activity
from tests.priorities.test_import import csv_upload, dry_run
from tests.priorities.test_import import row as cells
from tests.priorities.workspace_helpers import HX, activity_data, edit_data, page, url


@pytest.fixture
def counties(strategy) -> dict:
    return {county.slug: county for county in County.objects.all()}


@pytest.fixture
def attributed(commitment, counties):
    """Three public activities of 2025: Telemark's, Vestfold's and one not attributed."""
    return {
        "telemark": make_activity(commitment, title="Møte i Wuhan", county=counties["telemark"]),
        "vestfold": make_activity(commitment, title="Besøk i Kaunas", county=counties["vestfold"]),
        None: make_activity(commitment, title="Nettverksmøte uten fylke"),
    }


def create_url(commitment) -> str:
    return url("priorities:activity_create", commitment.priority.slug, commitment.number)


# --- Attributing ----------------------------------------------------------------------------


@pytest.mark.parametrize("headers", [HX, {}], ids=["htmx", "plain"])
def test_staff_attribute_an_activity_to_a_county(staff_client, commitment, counties, headers):
    data = activity_data(county=counties["telemark"].pk)
    response = staff_client.post(create_url(commitment), data, **headers)
    assert response.status_code in (200, 303)
    assert Activity.objects.get().county == counties["telemark"]


def test_the_form_offers_existing_counties_for_a_new_activity(staff_client, commitment):
    form = staff_client.get(create_url(commitment)).text
    assert 'name="county"' in form
    assert ">Telemark fylkeskommune</option>" in form
    assert ">Vestfold og Telemark fylkeskommune</option>" not in form


def test_a_dissolved_county_is_refused_for_a_new_activity(staff_client, commitment, counties):
    data = activity_data(county=counties["vestfold-og-telemark"].pk)
    response = staff_client.post(create_url(commitment), data, **HX)
    assert response.status_code == 422
    assert 'name="county"' in response.text and "field--error" in response.text
    assert not Activity.objects.exists()


def test_an_old_activity_keeps_its_dissolved_county_when_edited(
    staff_client, staff_user, commitment, counties
):
    old = make_activity(
        commitment,
        staff_user,
        start_date=datetime.date(2022, 5, 1),
        county=counties["vestfold-og-telemark"],
    )
    form = staff_client.get(url("priorities:activity_edit", old.pk)).text
    assert ">Vestfold og Telemark fylkeskommune</option>" in form
    response = staff_client.post(
        url("priorities:activity_edit", old.pk), edit_data(old, title="Rettet tittel")
    )
    assert response.status_code == 303
    old.refresh_from_db()
    assert old.title == "Rettet tittel"
    assert old.county == counties["vestfold-og-telemark"]


@pytest.mark.parametrize(
    "prefix, expected",
    [
        ("", "<dt>Fylkeskommune</dt>\n    <dd>Telemark fylkeskommune</dd>"),
        ("/nn", "<dt>Fylkeskommune</dt>\n    <dd>Telemark fylkeskommune</dd>"),
        ("/en", "<dt>County authority</dt>\n    <dd>Telemark County Authority</dd>"),
    ],
)
def test_the_activity_page_names_the_county(client, attributed, prefix, expected):
    assert expected in client.get(prefix + page(attributed["telemark"])).text
    assert "<dt>Fylkeskommune</dt>" not in client.get(page(attributed[None])).text


def test_a_status_update_is_attributed_and_the_history_says_so(editor_client, commitment, counties):
    status_url = url("priorities:status_create", commitment.priority.slug, commitment.number)
    data = {"status": "on_track", "assessment": "Godt i gang.", "county": counties["vestfold"].pk}
    assert editor_client.post(status_url, data, **HX).status_code == 200
    assert StatusUpdate.objects.get().county == counties["vestfold"]
    assert "Vurdert av Vestfold fylkeskommune." in editor_client.get(page(commitment)).text


def test_the_admin_edits_the_county(admin_client, attributed):
    activity = attributed["telemark"]
    form = admin_client.get(f"/admin/priorities/activity/{activity.pk}/change/").text
    assert 'name="county"' in form
    listing = admin_client.get(
        "/admin/priorities/activity/?county__id__exact=" + str(activity.county_id)
    ).text
    assert "Møte i Wuhan" in listing and "Besøk i Kaunas" not in listing


# --- Import ---------------------------------------------------------------------------------


def test_the_import_reads_the_county_by_its_code(commitment, counties):
    table = [[2, cells(title="Med fylke", county="telemark", commitment=commitment.code)]]
    plan = exchange.build_plan(table, strategy=commitment.priority.strategy)
    assert plan.is_valid
    assert plan.rows[0].activity.county == counties["telemark"]


@pytest.mark.parametrize("code", ["nordpolen", "vestfold-og-telemark"])
def test_the_import_refuses_an_unknown_or_dissolved_county_and_saves_nothing(
    editor_client, commitment, code
):
    upload = csv_upload([cells(title="Ukjent fylke", county=code, commitment=commitment.code)])
    response = dry_run(editor_client, upload)
    errors = response.context["plan"].errors
    assert [(error.row, error.column) for error in errors] == [(2, "county")]
    assert code in errors[0].message
    assert code in response.text
    assert not Activity.objects.exists()


def test_a_file_from_before_the_county_column_still_reads_and_keeps_the_county(
    commitment, counties
):
    kept = make_activity(commitment, title="Med fylke", county=counties["vestfold"])
    header = [name for name in exchange.HEADER if name != "county"]
    rows = [
        [kept.pk, commitment.code, "Med fylke, ny tittel", "meeting", "2025-03-01"],
        ["", commitment.code, "Ny uten fylke", "meeting", "2025-04-01"],
    ]
    lines = [";".join(header)] + [";".join(map(str, row)) + ";" * (len(header) - 5) for row in rows]
    table = exchange.read_table("gammel.csv", "\n".join(lines).encode())
    assert all(cells[exchange.HEADER.index("county")] is None for _number, cells in table)
    plan = exchange.build_plan(table, strategy=commitment.priority.strategy)
    assert plan.is_valid, plan.errors
    assert [row.action for row in plan.rows] == ["update", "create"]
    assert plan.rows[0].changes == [("title", "Med fylke", "Med fylke, ny tittel")]
    assert plan.rows[0].activity.county == counties["vestfold"]
    assert plan.rows[1].activity.county is None
    # Nor may a file name a column twice or put them in another order.
    for bad in (header + ["county", "county"], ["county", *header]):
        with pytest.raises(exchange.ImportFileError):
            exchange.read_table("feil.csv", ";".join(bad).encode())


# --- The county filter ----------------------------------------------------------------------


def test_the_search_lists_only_the_countys_activities(client, attributed):
    page = client.get("/aktiviteter/?county=telemark").text
    assert "Møte i Wuhan" in page
    assert "Besøk i Kaunas" not in page and "Nettverksmøte uten fylke" not in page
    assert '<option value="telemark" selected>' in page


def test_the_search_explains_an_unknown_county(client, attributed):
    response = client.get("/en/aktiviteter/?county=nordpolen")
    assert response.status_code == 400
    assert "There is no county authority with the code nordpolen." in response.text
    assert "Møte i Wuhan" not in response.text


def test_the_report_counts_only_the_countys_activities(client, attributed):
    response = client.get("/rapport/2025/?county=vestfold")
    assert response.status_code == 200
    assert "Besøk i Kaunas" in response.text
    assert "Møte i Wuhan" not in response.text
    assert "1 offentlig aktivitet ble registrert" in response.text
    assert "knyttet til Vestfold fylkeskommune" in response.text
    # The downloads keep the filter.
    assert 'href="/rapport/2025/aktiviteter.csv?county=vestfold"' in response.text
    whole = client.get("/rapport/2025/").text
    assert "Møte i Wuhan" in whole and "Besøk i Kaunas" in whole


def test_the_report_explains_an_unknown_county(client, attributed):
    response = client.get("/en/rapport/2025/?county=nordpolen")
    assert response.status_code == 400
    assert "There is no county authority with the code nordpolen." in response.text


def csv_titles(response) -> list[str]:
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    return [row[exchange.HEADER.index("title")] for row in rows[1:]]


def test_the_downloads_hold_only_the_countys_rows(client, attributed):
    response = client.get("/rapport/2025/aktiviteter.csv?county=telemark")
    assert response.status_code == 200
    assert csv_titles(response) == ["Møte i Wuhan"]
    assert len(csv_titles(client.get("/rapport/2025/aktiviteter.csv"))) == 3
    xlsx = client.get("/rapport/2025/aktiviteter.xlsx?county=telemark")
    assert xlsx.status_code == 200


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_a_download_with_an_unknown_county_is_a_400_with_the_message(client, attributed, extension):
    response = client.get(f"/en/rapport/2025/aktiviteter.{extension}?county=nordpolen")
    assert response.status_code == 400
    assert response.content.decode() == "There is no county authority with the code nordpolen."


def test_the_api_filters_by_county(client, attributed):
    data = client.get("/api/activities/?county=telemark").json()
    assert [row["title"] for row in data["results"]] == ["Møte i Wuhan"]
    assert data["results"][0]["county"] == "telemark"
    everything = client.get("/api/activities/").json()
    assert everything["count"] == 3
    assert {row["county"] for row in everything["results"]} == {"telemark", "vestfold", None}


def test_the_api_refuses_an_unknown_county_with_a_400(client, attributed):
    response = client.get("/api/activities/?county=nordpolen")
    assert response.status_code == 400
    # The API's messages are in the site's default language, as for every other filter.
    assert response.json()["errors"]["county"] == [
        "Det finnes ingen fylkeskommune med koden nordpolen."
    ]


def test_the_openapi_document_describes_the_county_parameter(client, strategy):
    document = client.get("/api/openapi.json").json()
    parameters = document["paths"]["/api/activities/"]["get"]["parameters"]
    county = next(p for p in parameters if p["name"] == "county")
    assert set(county["schema"]["enum"]) == {"", "telemark", "vestfold", "vestfold-og-telemark"}
    assert "county" in document["components"]["schemas"]["Activity"]["properties"]


def test_the_filter_rule_is_one_queryset_method(attributed, counties):
    telemark = Activity.objects.for_county(counties["telemark"])
    assert list(telemark) == [attributed["telemark"]]
    assert Activity.objects.for_county(None).count() == 3


# --- The page cache -------------------------------------------------------------------------


def test_attributing_makes_the_cached_pages_stale(
    editor_client, attributed, counties, file_cache_on, django_capture_on_commit_callbacks
):
    activity = attributed[None]
    visitor = Client()
    assert "Vestfold fylkeskommune" not in visitor.get(page(activity)).text
    assert "Nettverksmøte uten fylke" not in visitor.get("/aktiviteter/?county=vestfold").text
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            url("priorities:activity_edit", activity.pk),
            edit_data(activity, county=counties["vestfold"].pk),
        )
    assert response.status_code == 303
    assert "<dd>Vestfold fylkeskommune</dd>" in visitor.get(page(activity)).text
    assert "Nettverksmøte uten fylke" in visitor.get("/aktiviteter/?county=vestfold").text


def test_the_api_names_the_county_of_a_commitments_latest_status(client, commitment, counties):
    StatusUpdate.objects.create(
        commitment=commitment, status="on_track", assessment="Godt i gang.",
        county=counties["telemark"],
    )  # fmt: skip
    commitments = [
        c for p in client.get("/api/strategy/").json()["priorities"] for c in p["commitments"]
    ]
    statuses = {c["code"]: c["status"] for c in commitments}
    assert statuses[commitment.code]["county"] == "telemark"
    assert all(s is None or "county" in s for s in statuses.values())
