import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from partners.models import BilateralPartner, Organisation, Programme
from priorities import exchange
from priorities.exchange import HEADER
from priorities.models import Activity, Commitment
from tests.factories import get_commitment

URL = "/en/import/"


@pytest.fixture
def commitment(strategy):
    """Commitment 3.1, which the expected rows below name."""
    return get_commitment("3.1")


@pytest.fixture
def activities(commitment):
    """A year with what a round trip must keep: links, formulas, line breaks, letters."""
    first = Activity.objects.create(
        commitment=commitment,
        title="Søknad om Interreg ØKS-prosjekt",
        kind="project_application",
        start_date=datetime.date(2025, 2, 3),
        end_date=datetime.date(2025, 2, 4),
        place="Tønsberg",
        country="NO",
        description='Første linje.\r\nAndre linje; med semikolon og "anførsel".',
        outcome="=1+1 er ikke en formel her",
        programme=Programme.objects.get(slug="interreg-oks"),
        url="https://example.org/a",
    )
    first.partners.add(BilateralPartner.objects.get(slug="kaunas"))
    first.organisations.add(Organisation.objects.get(slug="errin"))
    second = Activity.objects.create(
        commitment=Commitment.objects.get(priority__number=2, number=1),
        title="-Delegasjon til Kiel",
        kind="delegation_visit",
        start_date=datetime.date(2025, 9, 1),
    )
    return [first, second]


def csv_upload(rows, name="aktiviteter.csv", header=HEADER) -> SimpleUploadedFile:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    writer.writerow(header)
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode("utf-8"), content_type="text/csv")


def row(**values) -> list[str]:
    base = {
        "id": "",
        "commitment": "3.1",
        "title": "Ny aktivitet",
        "kind": "meeting",
        "start_date": "2025-05-05",
        "public": "yes",
    }
    values = base | values
    return [values.get(name, "") for name in HEADER]


def dry_run(client, upload):
    return client.post(URL, {"action": "dry_run", "file": upload})


def confirm(client, response):
    return client.post(URL, {"action": "confirm", "digest": response.context["plan"].digest()})


def snapshot():
    return sorted(
        (a.pk, a.title, a.kind, a.start_date, a.is_public, a.updated_at)
        for a in Activity.objects.all()
    )


# --- Who may import ------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_login(client, strategy):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_staff_without_the_change_permission_get_403(staff_client, strategy):
    assert staff_client.get(URL).status_code == 403
    assert staff_client.post(URL, {"action": "dry_run"}).status_code == 403


def test_editors_get_the_upload_form_with_the_format(editor_client, strategy):
    response = editor_client.get(URL)
    assert response.status_code == 200
    assert 'type="file"' in response.text
    assert 'enctype="multipart/form-data"' in response.text
    for name in HEADER:
        assert f"<code>{name}</code>" in response.text


# --- Round trip ----------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_round_trip_export_then_import_dry_run_changes_nothing(editor_client, activities, suffix):
    download = editor_client.get(f"/rapport/2025/aktiviteter.{suffix}")
    upload = SimpleUploadedFile(f"aktiviteter-2025.{suffix}", download.content)
    before = snapshot()
    response = dry_run(editor_client, upload)
    assert response.status_code == 200
    plan = response.context["plan"]
    assert plan.errors == []
    assert (plan.created, plan.updated, plan.unchanged) == (0, 0, 2)
    assert "0 to add, 0 to change, 2 unchanged." in response.text
    assert "Nothing to save" in response.text
    assert snapshot() == before


def test_dry_run_shows_changes_and_saves_nothing_until_confirmed(editor_client, activities):
    first = activities[0]
    download = editor_client.get("/rapport/2025/aktiviteter.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(download, newline=""), delimiter=";"))
    rows[1][HEADER.index("title")] = "Søknad sendt"
    rows[1][HEADER.index("partners")] = "kaunas, hubei"
    rows.append(row(title="Helt ny", partners="schleswig-holstein", organisations="errin"))
    before = snapshot()

    response = dry_run(editor_client, csv_upload(rows[1:]))
    assert response.status_code == 200
    plan = response.context["plan"]
    assert (plan.created, plan.updated, plan.unchanged) == (1, 1, 1)
    changes = {c[0]: c[1:] for c in plan.changed_rows[0].changes}
    assert changes == {
        "title": ("Søknad om Interreg ØKS-prosjekt", "Søknad sendt"),
        "partners": ("kaunas", "hubei, kaunas"),
    }
    assert "Save the 2 changes" in response.text
    assert snapshot() == before

    saved = confirm(editor_client, response)
    assert saved.status_code == 302
    first.refresh_from_db()
    assert first.title == "Søknad sendt"
    assert sorted(p.slug for p in first.partners.all()) == ["hubei", "kaunas"]
    new = Activity.objects.get(title="Helt ny")
    assert new.created_by.username == "editor"
    assert new.is_public
    assert [p.slug for p in new.partners.all()] == ["schleswig-holstein"]
    assert [o.slug for o in new.organisations.all()] == ["errin"]
    assert "1 added, 1 changed, 1 unchanged" in editor_client.get(URL).text
    # The plan is used up: a second confirm applies nothing.
    assert confirm(editor_client, response).status_code == 409
    assert Activity.objects.filter(title="Helt ny").count() == 1


def test_a_new_row_can_be_internal_and_dates_may_be_written_the_norwegian_way(
    editor_client, commitment
):
    upload = csv_upload([row(title="Internt møte", public="nei", start_date="05.06.2025")])
    response = dry_run(editor_client, upload)
    assert response.context["plan"].errors == []
    confirm(editor_client, response)
    activity = Activity.objects.get(title="Internt møte")
    assert not activity.is_public
    assert activity.start_date == datetime.date(2025, 6, 5)


def test_xlsx_written_by_hand_is_read(editor_client, commitment):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    values = row(title="Fra Excel")
    values[HEADER.index("start_date")] = datetime.datetime(2025, 4, 1)
    values[HEADER.index("commitment")] = 3.1  # Excel makes the code a number
    sheet.append(values)
    sheet.append([None] * len(HEADER))  # trailing empty rows are common
    out = io.BytesIO()
    workbook.save(out)
    response = dry_run(editor_client, SimpleUploadedFile("fra-excel.xlsx", out.getvalue()))
    assert response.context["plan"].errors == []
    assert response.context["plan"].created == 1


# --- Errors save nothing ---------------------------------------------------------------------


def test_import_with_errors_saves_nothing_and_lists_every_error(editor_client, activities):
    other = Activity.objects.create(
        commitment=Commitment.objects.get(priority__number=1, number=1),
        title="Annen",
        kind="meeting",
        start_date=datetime.date(2025, 1, 1),
    )
    rows = [
        row(title="Gyldig rad"),  # row 2: fine on its own
        row(commitment="9.9"),  # row 3
        row(kind="party", start_date="31/12/2025"),  # row 4: two errors
        row(id="999999"),  # row 5
        row(partners="kaunas, atlantis", programme="nope"),  # row 6
        row(title="x" * 201),  # row 7
        row(start_date="2025-05-05", end_date="2025-05-01"),  # row 8
        row(title="Null\x00byte"),  # row 9
        row(id=str(other.pk)),  # row 10: fine
        row(id=str(other.pk)),  # row 11: same id again
        row(public="maybe", url="not a link", start_date=""),  # row 12
    ]
    before = snapshot()
    response = dry_run(editor_client, csv_upload(rows))
    assert response.status_code == 422
    errors = [(e.row, e.column) for e in response.context["plan"].errors]
    assert errors == [
        (3, "commitment"),
        (4, "kind"),
        (4, "start_date"),
        (5, "id"),
        (6, "partners"),
        (6, "programme"),
        (7, "title"),
        (8, "end_date"),
        (9, "title"),
        (11, "id"),
        (12, "start_date"),
        (12, "public"),
    ]
    text = response.text
    assert "Nothing was saved" in text
    assert "atlantis" in text and "Unknown commitment" in text
    assert "The same id is also on row 10." in text
    assert "Save the" not in text  # no confirm button
    assert snapshot() == before
    # Nothing to confirm either.
    forged = editor_client.post(URL, {"action": "confirm", "digest": "x"})
    assert forged.status_code == 409
    assert snapshot() == before


def test_model_validation_reports_the_column(editor_client, commitment):
    response = dry_run(editor_client, csv_upload([row(url="not a link", start_date="2025-01-01")]))
    assert response.status_code == 422
    error = response.context["plan"].errors[0]
    assert (error.row, error.column) == (2, "url")
    assert "valid URL" in error.message


def test_confirm_refuses_a_plan_the_data_has_moved_on_from(editor_client, activities):
    download = editor_client.get("/rapport/2025/aktiviteter.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(download, newline=""), delimiter=";"))
    rows[1][HEADER.index("title")] = "Min endring"
    response = dry_run(editor_client, csv_upload(rows[1:]))
    assert response.context["plan"].updated == 1
    # Someone else edits the same activity before the editor confirms.
    Activity.objects.filter(pk=activities[0].pk).update(place="Skien")

    stale = confirm(editor_client, response)
    assert stale.status_code == 409
    assert "changed since the dry run" in stale.text
    activities[0].refresh_from_db()
    assert activities[0].title == "Søknad om Interreg ØKS-prosjekt"
    assert activities[0].place == "Skien"


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("a.txt", b"id;title", "Upload a .csv or .xlsx file"),
        ("a.csv", b"", "The file is empty."),
        ("a.csv", b"id;tittel\n", "The first row must name the columns"),
        ("a.csv", ";".join(reversed(HEADER)).encode(), "in another order"),
        ("a.csv", "id;title\nø".encode("latin-1"), "not UTF-8"),
        ("a.xlsx", b"PK\x03\x04 not really a zip", "not a readable XLSX"),
        (
            "a.csv",
            ("\ufeff" + ";".join(HEADER) + '\n1;"unterminated').encode(),
            "could not be read",
        ),
    ],
)
def test_unreadable_files_get_a_clear_400(editor_client, strategy, name, content, message):
    response = dry_run(editor_client, SimpleUploadedFile(name, content))
    assert response.status_code == 400
    assert message in response.text


def test_no_file_is_a_400(editor_client, strategy):
    response = editor_client.post(URL, {"action": "dry_run"})
    assert response.status_code == 400
    assert "Choose a file" in response.text


def test_oversize_upload_is_refused_with_413(editor_client, strategy, monkeypatch):
    monkeypatch.setattr(exchange, "MAX_UPLOAD_BYTES", 1024)
    rows = [row(title=f"Rad {i}") for i in range(40)]
    response = dry_run(editor_client, csv_upload(rows))
    assert response.status_code == 413
    assert "larger than" in response.text
    assert not Activity.objects.exists()


def test_too_many_rows_is_refused(editor_client, strategy, monkeypatch):
    monkeypatch.setattr(exchange, "MAX_ROWS", 3)
    response = dry_run(editor_client, csv_upload([row(title=f"Rad {i}") for i in range(4)]))
    assert response.status_code == 400
    assert "more than 3 rows" in response.text


def test_a_comma_separated_copy_is_read_too(editor_client, commitment):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerow(row(title="Med komma, i tittelen"))
    upload = SimpleUploadedFile("komma.csv", out.getvalue().encode())
    response = dry_run(editor_client, upload)
    assert response.context["plan"].errors == []
    assert response.context["plan"].rows[0].activity.title == "Med komma, i tittelen"


def test_neutralised_cells_are_read_back_without_the_apostrophe(editor_client, commitment):
    response = dry_run(editor_client, csv_upload([row(title="'=SUM(A1)")]))
    assert response.context["plan"].rows[0].activity.title == "=SUM(A1)"


def test_import_rejects_other_methods(editor_client, strategy):
    assert editor_client.put(URL).status_code == 405


def test_exported_workbook_reads_back_through_the_importer(activities):
    """The parser on its own: the export's typed cells come back as the same text."""
    content = exchange.xlsx_bytes(
        exchange.attach_links(Activity.objects.order_by("start_date")), sheet_title="x"
    )
    table = exchange.read_table("a.xlsx", content)
    assert [cells[HEADER.index("title")] for _number, cells in table] == [
        "Søknad om Interreg ØKS-prosjekt",
        "'-Delegasjon til Kiel",
    ]
    assert load_workbook(io.BytesIO(content)).worksheets[0].freeze_panes == "A2"


@pytest.mark.parametrize("bad_id", ["²", "99999999999999999999999", "-4", "1.5", "abc"])
def test_an_id_that_is_no_activity_is_a_row_error_not_a_crash(editor_client, commitment, bad_id):
    response = dry_run(editor_client, csv_upload([row(id=bad_id)]))
    assert response.status_code == 422
    error = response.context["plan"].errors[0]
    assert (error.row, error.column) == (2, "id")
