"""Delegation visits (issue 14, item 2): an activity of the kind "delegation visit" with its
direction, purpose, participants, cost and follow-up, logged in place in the activity form."""

import csv
import datetime
import decimal
import io

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from openpyxl import load_workbook

from partners.models import BilateralPartner
from priorities.models import Activity, Participant, Visit
from tests.factories import make_activity, make_user, make_visit
from tests.priorities.workspace_helpers import HX, activity_data, edit_data, page, url

YEAR = 2025
SECRET_COST = "98765"
INTERNAL_TITLE = "Hemmelig delegasjon til Hubei"


def visit_data(**overrides) -> dict:
    """A valid POST of the activity form for a delegation visit with one participant."""
    data = activity_data(
        title="Delegasjon til Kaunas",
        kind="delegation_visit",
        start_date=f"{YEAR}-05-12",
        end_date=f"{YEAR}-05-14",
        place="Kaunas",
        country="LT",
        **{
            "visit-direction": "outgoing",
            "visit-purpose": "Drøfte utveksling av lærlinger.",
            "visit-follow_up": "Utkast til avtale innen sommeren.",
            "visit-cost": "84500",
            "participants-TOTAL_FORMS": "2",
            "participants-INITIAL_FORMS": "0",
            "participants-MIN_NUM_FORMS": "0",
            "participants-MAX_NUM_FORMS": "50",
            "participants-0-name": "Eva Eksempeldal",
            "participants-0-title": "fylkesordfører",
            "participants-0-role": "politician",
            "participants-0-organisation": "",
            "participants-1-name": "",
            "participants-1-title": "",
            "participants-1-role": "politician",
            "participants-1-organisation": "",
        },
    )
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def visit_edit_data(activity: Activity, **overrides) -> dict:
    """The edit form of a visit as posted unchanged (its participants as initial rows)."""
    visit = activity.visit
    data = edit_data(activity)
    data |= {
        "visit-direction": visit.direction,
        "visit-purpose": visit.purpose,
        "visit-follow_up": visit.follow_up,
        "visit-cost": "" if visit.cost is None else str(visit.cost),
    }
    if visit.cost_is_public:
        data["visit-cost_is_public"] = "on"
    participants = list(visit.participants.order_by("pk"))
    data |= {
        "participants-TOTAL_FORMS": str(len(participants) + 1),
        "participants-INITIAL_FORMS": str(len(participants)),
        "participants-MIN_NUM_FORMS": "0",
        "participants-MAX_NUM_FORMS": "50",
    }
    for i, p in enumerate(participants):
        data |= {
            f"participants-{i}-id": str(p.pk),
            f"participants-{i}-visit": str(visit.pk),
            f"participants-{i}-name": p.name,
            f"participants-{i}-title": p.title,
            f"participants-{i}-role": p.role,
            f"participants-{i}-organisation": p.organisation,
        }
    # The empty row at the end, as the browser posts it (the role's default chosen).
    data |= {f"participants-{len(participants)}-role": "politician"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def create_url(commitment):
    return url("priorities:activity_create", commitment.priority.slug, commitment.number)


def edit_url(activity) -> str:
    return url("priorities:activity_edit", activity.pk)


# --- The model's rules ------------------------------------------------------------------------


def test_cost_is_internal_by_default(commitment, staff_user):
    activity = make_visit(commitment, visit={"cost": decimal.Decimal("1000")})
    visit = activity.visit
    assert visit.cost_is_public is False
    assert visit.cost_visible_to(None) is False
    assert visit.cost_visible_to(staff_user) is True


def test_a_public_cost_is_shown_to_anyone_only_on_a_public_visit(commitment, staff_user):
    activity = make_visit(commitment, visit={"cost": 1000, "cost_is_public": True})
    assert activity.visit.cost_visible_to(None) is True
    activity.is_public = False
    activity.save()
    activity.visit.refresh_from_db()
    assert activity.visit.cost_visible_to(None) is False
    assert activity.visit.cost_visible_to(staff_user) is True


def test_no_cost_is_visible_to_nobody(commitment, staff_user):
    assert make_visit(commitment).visit.cost_visible_to(staff_user) is False


def test_negative_cost_and_other_without_organisation_are_invalid(commitment):
    activity = make_activity(commitment, kind="delegation_visit")
    visit = Visit(activity=activity, direction="outgoing", purpose="Lære.", cost=-1)
    with pytest.raises(ValidationError) as error:
        visit.full_clean()
    assert "cost" in error.value.message_dict
    visit.cost = 0
    visit.full_clean()
    visit.save()
    participant = Participant(visit=visit, name="Wei", role="other")
    with pytest.raises(ValidationError) as error:
        participant.full_clean()
    assert "organisation" in error.value.message_dict


def test_others_are_shown_by_organisation_politicians_by_name_and_title(commitment):
    visit = make_visit(
        commitment,
        participants=[
            ("Eva Eksempeldal", "fylkesordfører", "politician", ""),
            ("Wei Eksempel", "", "other", "Hubei-provinsen"),
        ],
    ).visit
    eva, wei = visit.listed_participants
    assert eva.public_label == "Eva Eksempeldal, fylkesordfører"
    assert wei.public_label == "Hubei-provinsen" and wei.public_name is None


def test_visits_keep_history(commitment, staff_user):
    visit = make_visit(commitment).visit
    visit.purpose = "Nytt formål."
    visit.save()
    assert visit.history.count() == 2
    assert visit.participants.first().history.count() == 1


# --- Log and edit a visit in place ------------------------------------------------------------


def test_the_form_has_the_visit_fields_and_participant_rows(staff_client, create_url):
    for headers in ({}, HX):
        html = staff_client.get(create_url, **headers).content.decode()
        assert 'name="visit-direction"' in html and 'name="visit-purpose"' in html
        assert 'name="visit-cost"' in html and 'name="visit-cost_is_public"' in html
        assert 'name="participants-TOTAL_FORMS"' in html
        assert 'name="participants-0-name"' in html and 'name="participants-1-name"' in html


@pytest.mark.parametrize("headers", [{}, HX], ids=["plain", "htmx"])
def test_staff_log_a_visit_with_a_participant(staff_client, staff_user, create_url, headers):
    response = staff_client.post(create_url, visit_data(), **headers)
    assert response.status_code == (200 if headers else 303)
    activity = Activity.objects.get(title="Delegasjon til Kaunas")
    assert activity.created_by == staff_user
    visit = activity.visit
    assert visit.direction == "outgoing" and visit.cost == decimal.Decimal("84500")
    assert visit.cost_is_public is False
    assert visit.follow_up == "Utkast til avtale innen sommeren."
    assert [(p.name, p.title, p.role) for p in visit.participants.all()] == [
        ("Eva Eksempeldal", "fylkesordfører", "politician")
    ]
    if headers:
        html = response.content.decode()
        assert "<html" not in html and "Drøfte utveksling av lærlinger." in html


def test_visit_fields_are_ignored_for_other_kinds(staff_client, create_url):
    data = visit_data(kind="meeting", **{"visit-cost": "-5", "visit-direction": "sideways"})
    response = staff_client.post(create_url, data)
    assert response.status_code == 303
    activity = Activity.objects.get(title="Delegasjon til Kaunas")
    assert not Visit.objects.filter(activity=activity).exists()


BAD_VISITS = {
    "end before start": ({"end_date": f"{YEAR}-05-01"}, "end_date"),
    "negative cost": ({"visit-cost": "-100"}, "visit-cost"),
    "unknown direction": ({"visit-direction": "sideways"}, "visit-direction"),
    "no purpose": ({"visit-purpose": ""}, "visit-purpose"),
    "unknown role": ({"participants-0-role": "king"}, "participants-0-role"),
    "participant without name": (
        {"participants-1-title": "rådgiver", "participants-1-role": "staff"},
        "participants-1-name",
    ),
    "other without organisation": (
        {"participants-0-role": "other"},
        "participants-0-organisation",
    ),
}


@pytest.mark.parametrize("headers", [{}, HX], ids=["plain", "htmx"])
@pytest.mark.parametrize("case", BAD_VISITS, ids=list(BAD_VISITS))
def test_bad_visit_input_is_refused_with_a_message_and_nothing_saved(
    staff_client, create_url, case, headers
):
    overrides, field = BAD_VISITS[case]
    before = Activity.objects.count()
    response = staff_client.post(create_url, visit_data(**overrides), **headers)
    assert response.status_code == 422
    html = response.content.decode()
    assert "error-summary" in html
    assert f'id="id_{field}"' in html and 'aria-invalid="true"' in html
    # The field with the error takes the focus (after the swap too); a radio group's first.
    target = f'id="id_{field}_0"' if f'id="id_{field}_0"' in html else f'id="id_{field}"'
    tag = html[html.rindex("<", 0, html.index(target)) :]
    assert "autofocus" in tag[: tag.index(">")]
    # Nothing half-saved: neither the activity nor its visit or participants.
    assert Activity.objects.count() == before
    assert not Visit.objects.exists() and not Participant.objects.exists()


def test_a_bad_visit_edit_leaves_the_activity_as_it_was(staff_client, staff_user, commitment):
    activity = make_visit(commitment, staff_user, visit={"cost": 500})
    data = visit_edit_data(activity, title="Endret tittel", **{"visit-cost": "-1"})
    response = staff_client.post(edit_url(activity), data, **HX)
    assert response.status_code == 422
    activity.refresh_from_db()
    assert activity.title == "Delegasjon til Kaunas"
    assert activity.visit.cost == 500


def test_staff_edit_their_visit_add_and_remove_participants(staff_client, staff_user, commitment):
    activity = make_visit(commitment, staff_user)
    data = visit_edit_data(
        activity,
        **{
            "visit-direction": "incoming",
            "visit-cost_is_public": "on",
            "visit-cost": "1200.50",
            "participants-0-DELETE": "on",
            "participants-1-name": "Wei Eksempel",
            "participants-1-role": "other",
            "participants-1-organisation": "Hubei-provinsen",
        },
    )
    response = staff_client.post(edit_url(activity), data)
    assert response.status_code == 303
    visit = Visit.objects.get(pk=activity.pk)
    assert visit.direction == "incoming" and visit.cost_is_public
    assert visit.cost == decimal.Decimal("1200.50")
    assert [p.name for p in visit.participants.all()] == ["Wei Eksempel"]


def test_an_activity_that_stops_being_a_visit_loses_its_visit(staff_client, staff_user, commitment):
    activity = make_visit(commitment, staff_user)
    response = staff_client.post(edit_url(activity), visit_edit_data(activity, kind="meeting"))
    assert response.status_code == 303
    assert not Visit.objects.exists() and not Participant.objects.exists()
    # Its history keeps it.
    assert Visit.history.filter(activity_id=activity.pk, history_type="-").exists()


def test_the_edit_form_shows_the_visit(staff_client, staff_user, commitment):
    activity = make_visit(commitment, staff_user)
    html = staff_client.get(edit_url(activity), **HX).content.decode()
    assert "Drøfte utveksling av lærlinger." in html
    assert 'value="Eva Eksempeldal"' in html


# Who may log (POST the create form) and edit (POST the edit form) a visit: the activity's
# own rules (Activity.can_edit), with the visit's fields.
PERSONAS = ["anonymous", "staff", "other staff", "editor", "admin"]


@pytest.fixture
def personas(db, staff_user, other_staff_user, editor_user, admin_user):
    return {
        "anonymous": None,
        "staff": staff_user,
        "other staff": other_staff_user,
        "editor": editor_user,
        "admin": admin_user,
    }


@pytest.mark.parametrize("headers", [{}, HX], ids=["plain", "htmx"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_permission_matrix_for_editing_a_visit(
    client, personas, staff_user, commitment, persona, headers
):
    activity = make_visit(commitment, staff_user)
    if personas[persona]:
        client.force_login(personas[persona])
    get = client.get(edit_url(activity), **headers)
    post = client.post(
        edit_url(activity), visit_edit_data(activity, **{"visit-purpose": "Nytt."}), **headers
    )
    purpose = Visit.objects.get(pk=activity.pk).purpose
    if persona == "anonymous":
        if headers:
            assert "/accounts/login/" in get["HX-Redirect"]
            assert "/accounts/login/" in post["HX-Redirect"]
        else:
            assert get.status_code == post.status_code == 302
        assert purpose == "Drøfte utveksling av lærlinger."
    elif persona == "other staff":
        assert get.status_code == post.status_code == 403
        assert purpose == "Drøfte utveksling av lærlinger."
    else:  # the author, an editor, an admin
        assert get.status_code == 200
        assert post.status_code == (200 if headers else 303)
        assert purpose == "Nytt."


@pytest.mark.parametrize("headers", [{}, HX], ids=["plain", "htmx"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_permission_matrix_for_logging_a_visit(client, personas, create_url, persona, headers):
    if personas[persona]:
        client.force_login(personas[persona])
    get = client.get(create_url, **headers)
    post = client.post(create_url, visit_data(), **headers)
    if persona == "anonymous":
        assert (get.status_code, post.status_code) == ((200, 200) if headers else (302, 302))
        assert not Visit.objects.exists()
    else:
        assert get.status_code == 200
        assert post.status_code == (200 if headers else 303)
        assert Visit.objects.get().participants.count() == 1


# --- Shown, and hidden -----------------------------------------------------------------------


@pytest.fixture
def visits(commitment, staff_user):
    """A public visit with an internal cost, and an internal visit."""
    kaunas = BilateralPartner.objects.get(slug="kaunas")
    public = make_visit(
        commitment,
        staff_user,
        partners=[kaunas],
        start_date=datetime.date(YEAR, 5, 12),
        visit={"cost": decimal.Decimal(SECRET_COST)},
        participants=[
            ("Eva Eksempeldal", "fylkesordfører", "politician", ""),
            ("Wei Eksempel", "tolk", "other", "Hubei-provinsen"),
        ],
    )
    internal = make_visit(
        commitment,
        staff_user,
        title=INTERNAL_TITLE,
        partners=[kaunas],
        is_public=False,
        start_date=datetime.date(YEAR, 6, 1),
        visit={"purpose": "Hemmelig formål.", "cost": 5},
    )
    return public, internal


def test_the_activity_page_shows_the_visit_but_its_internal_cost_only_to_staff(
    staff_client, visits
):
    public, _internal = visits
    html = Client().get(page(public)).content.decode()
    assert "Utgående besøk" in html and "Drøfte utveksling av lærlinger." in html
    assert "Eva Eksempeldal, fylkesordfører" in html
    assert "Hubei-provinsen" in html and "Wei Eksempel" not in html
    assert "Utkast til avtale innen sommeren." in html
    assert "98" not in html.replace(str(public.pk), "")  # no part of the cost
    staff_html = staff_client.get(page(public)).content.decode()
    assert "98 765" in staff_html or "98\xa0765" in staff_html


def test_a_public_cost_is_shown_to_anonymous_visitors(client, commitment):
    activity = make_visit(commitment, visit={"cost": 4200, "cost_is_public": True})
    html = client.get(page(activity)).content.decode()
    assert "4200" in html.replace("\xa0", "").replace(" ", "")


def test_internal_visits_are_404_to_anonymous_visitors(client, visits):
    _public, internal = visits
    assert client.get(page(internal)).status_code == 404


def test_lists_show_the_visit_without_cost_and_never_internal_visits(client, visits, commitment):
    public, _internal = visits
    kaunas = BilateralPartner.objects.get(slug="kaunas")
    for address in (
        "/",
        page(commitment),
        f"/aktiviteter/?year={YEAR}",
        "/aktiviteter/?q=Kaunas",
        page(kaunas),
    ):
        html = client.get(address).content.decode()
        assert "Delegasjon til Kaunas" in html, address
        assert "Drøfte utveksling av lærlinger." in html, address
        assert INTERNAL_TITLE not in html and "Hemmelig formål." not in html, address
        assert SECRET_COST not in html.replace("\xa0", "").replace(" ", ""), address


def test_counts_leave_internal_visits_out(staff_client, visits):
    client = Client()
    kaunas = BilateralPartner.objects.get(slug="kaunas")
    response = client.get("/api/partners/")
    counts = {p["slug"]: p for p in response.json()["results"]}
    assert counts["kaunas"]["public_activity_count"] == 1
    html = client.get(page(kaunas)).content.decode()
    assert INTERNAL_TITLE not in html
    assert INTERNAL_TITLE in staff_client.get(page(kaunas)).content.decode()


def test_feeds_carry_public_visits_without_cost(client, visits, commitment):
    for address in ("/feed/", f"{page(commitment)}feed/"):
        xml = client.get(address).content.decode()
        assert "Drøfte utveksling av lærlinger." in xml and "Utgående besøk" in xml
        assert INTERNAL_TITLE not in xml and "Hemmelig formål." not in xml
        assert SECRET_COST not in xml


def test_exports_leave_internal_visits_and_costs_out(client, visits):
    csv_text = client.get(f"/rapport/{YEAR}/aktiviteter.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(csv_text), delimiter=";"))
    assert any("Delegasjon til Kaunas" in row for row in rows)
    assert INTERNAL_TITLE not in csv_text and SECRET_COST not in csv_text
    response = client.get(f"/rapport/{YEAR}/aktiviteter.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row]
    assert "Delegasjon til Kaunas" in cells
    assert not any(INTERNAL_TITLE in c or SECRET_COST in c for c in cells)


def test_the_api_gives_public_visit_fields_only(client, visits):
    public, _internal = visits
    results = client.get("/api/activities/", {"year": YEAR}).json()["results"]
    assert [r["title"] for r in results] == ["Delegasjon til Kaunas"]
    visit = results[0]["visit"]
    assert visit == {
        "direction": "outgoing",
        "purpose": "Drøfte utveksling av lærlinger.",
        "follow_up": "Utkast til avtale innen sommeren.",
        "cost": None,  # internal
        "participants": [
            {
                "role": "politician",
                "name": "Eva Eksempeldal",
                "title": "fylkesordfører",
                "organisation": "",
            },
            {"role": "other", "name": None, "title": "tolk", "organisation": "Hubei-provinsen"},
        ],
    }
    # Staff signed in get the same public answer: the API is open data.
    client.force_login(make_user("apistaff", "Saksbehandler"))
    again = client.get("/api/activities/", {"year": YEAR}).json()["results"]
    assert again[0]["visit"]["cost"] is None and len(again) == 1


def test_the_api_gives_a_public_cost_and_null_for_other_kinds(client, commitment):
    make_visit(commitment, visit={"cost": 4200, "cost_is_public": True})
    make_activity(commitment, title="Vanlig møte", start_date=datetime.date(YEAR, 1, 1))
    results = {r["title"]: r for r in client.get("/api/activities/").json()["results"]}
    assert results["Delegasjon til Kaunas"]["visit"]["cost"] == "4200.00"
    assert results["Vanlig møte"]["visit"] is None


def test_load_demo_adds_example_visits_to_and_from_the_partners(strategy, settings):
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("load_demo", activities=5, stdout=io.StringIO())
    visits = Visit.objects.select_related("activity")
    places = {v.activity.place for v in visits}
    assert {"Kaunas", "Kiel", "Brussel", "Skien"} <= places
    assert all(v.activity.is_example for v in visits)
    assert {v.direction for v in visits} == {"outgoing", "incoming"}
    assert Participant.objects.filter(role="other").exclude(organisation="").exists()
    assert all("(eksempel)" in (p.title or p.organisation) for p in Participant.objects.all())
