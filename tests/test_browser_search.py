"""The search page, yearly report and import in Chromium: htmx updates, pushed URLs, axe-core."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission, User
from django.test import Client
from playwright.sync_api import expect

from partners.models import BilateralPartner, Programme
from priorities.models import Activity, Commitment, Status
from tests.conftest import axe_violations
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def editor(db):
    # Made here, not from the role groups: a transactional test's flush drops the groups that
    # the data migration created, but post_migrate re-creates the permissions.
    user = User.objects.create_user("browser-editor", password=PASSWORD)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="priorities",
            codename__in=["add_activity", "change_activity", "view_activity"],
        )
    )
    return user


@pytest.fixture
def activities(strategy):
    commitments = {c.code: c for c in Commitment.objects.select_related("priority")}
    erasmus = Programme.objects.get(slug="erasmus-plus")
    rows = [
        ("2.1", "Delegasjonsbesøk i Kaunas", "delegation_visit", None, 1),
        ("3.1", "Oppstart av Erasmus+-prosjekt", "project", erasmus, 2),
        ("3.3", "Karbonfangst: prosjektmøte", "project", None, 3),
        ("4.2", "Møteplass for prosjektsøkere", "knowledge_sharing", None, 4),
        ("1.1", "Innspill til Nordsjøkommisjonen", "meeting", None, 5),
    ]
    created = []
    for code, title, kind, programme, month in rows:
        created.append(
            Activity.objects.create(
                commitment=commitments[code],
                title=title,
                kind=kind,
                programme=programme,
                start_date=datetime.date(2025, month, 10),
            )
        )
    created[0].partners.add(BilateralPartner.objects.get(slug="kaunas"))
    Activity.objects.create(
        commitment=commitments["3.1"],
        title="Internt prosjektmøte",
        kind="project",
        start_date=datetime.date(2025, 6, 1),
        is_public=False,
    )
    commitments["2.1"].set_status(status=Status.ON_TRACK, assessment="Godt samarbeid.", author=None)
    return created


def result_titles(page) -> list[str]:
    return sorted(page.locator("#results .activity-item__title a").all_inner_texts())


def test_filters_update_results_without_reload_and_the_pushed_url_reloads_the_same(
    live_server, page, console_errors, activities
):
    page.goto(live_server.url + "/en/aktiviteter/")
    assert page.evaluate("typeof htmx") == "object"
    expect(page.locator("#result-count")).to_have_text("5 activities found")
    page.evaluate("window.__marker = 'no reload'")

    page.select_option("#id_kind", "project")
    expect(page.locator("#result-count")).to_have_text("2 activities found")
    expect(page).to_have_url(re.compile(r"kind=project"))
    assert result_titles(page) == ["Karbonfangst: prosjektmøte", "Oppstart av Erasmus+-prosjekt"]
    assert page.evaluate("window.__marker") == "no reload"

    page.fill("#id_q", "Erasmus")
    expect(page.locator("#result-count")).to_have_text("1 activity found")
    expect(page).to_have_url(re.compile(r"q=Erasmus"))
    assert result_titles(page) == ["Oppstart av Erasmus+-prosjekt"]
    assert page.evaluate("window.__marker") == "no reload"
    assert "Internt prosjektmøte" not in page.content()

    # The pushed URL is a shareable link: loaded afresh it gives the same results and form.
    pushed = page.url
    page.goto(pushed)
    assert page.evaluate("typeof window.__marker") == "undefined"
    expect(page.locator("#result-count")).to_have_text("1 activity found")
    assert result_titles(page) == ["Oppstart av Erasmus+-prosjekt"]
    expect(page.locator("#id_kind")).to_have_value("project")
    expect(page.locator("#id_q")).to_have_value("Erasmus")
    assert console_errors == []


def test_next_page_swaps_results_and_moves_focus_to_them(
    live_server, page, console_errors, strategy
):
    commitment = Commitment.objects.get(priority__number=4, number=2)
    Activity.objects.bulk_create(
        Activity(
            commitment=commitment,
            title=f"Møte nummer {day:02}",
            kind="meeting",
            start_date=datetime.date(2025, 1, day),
        )
        for day in range(1, 26)
    )
    page.goto(live_server.url + "/en/aktiviteter/")
    page.evaluate("window.__marker = 'no reload'")
    page.click("#page-next")
    expect(page.locator("#result-count")).to_have_text("25 activities found · page 2 of 2")
    expect(page).to_have_url(re.compile(r"page=2"))
    expect(page.locator("#results ol.activity-list")).to_be_focused()
    assert page.evaluate("window.__marker") == "no reload"
    assert console_errors == []


@pytest.mark.parametrize(
    "path",
    [
        "/aktiviteter/",
        "/en/aktiviteter/?kind=project",
        "/nn/aktiviteter/?year=1999",  # the 400 page with a form error
        "/rapport/",
        "/rapport/2025/",
        "/en/rapport/2025/",
        "/nn/rapport/2025/",
    ],
)
def test_search_and_report_pages_pass_axe(live_server, page, console_errors, activities, path):
    page.goto(live_server.url + path)
    assert page.locator("h1").count() == 1
    assert axe_violations(page) == []
    # A 400 is expected for the invalid filter; nothing else may fail.
    assert [e for e in console_errors if "400" not in e] == []


def test_report_pages_pass_axe_on_a_phone(live_server, page, activities):
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(live_server.url + "/en/rapport/2025/")
    assert axe_violations(page) == []
    page.goto(live_server.url + "/en/aktiviteter/")
    assert axe_violations(page) == []


def test_import_dry_run_page_passes_axe(live_server, page, editor, activities, tmp_path):
    client = Client()
    client.force_login(editor)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(live_server.url + "/en/import/")
    assert axe_violations(page) == []
    upload = tmp_path / "aktiviteter.csv"
    upload.write_text("id;commitment\n", encoding="utf-8")
    page.set_input_files("#id_file", str(upload))
    page.click("text=Check the file (dry run)")
    expect(page.locator(".message--error")).to_contain_text("The first row must name the columns")
    assert axe_violations(page) == []
