"""The project register in a real Chromium: a staff member registers a granted project in place
by keyboard alone (the page never reloads) and the overview's funding figure changes; axe-core
finds nothing on the list, a project's page and the forms at desktop and phone width in
bokmål, nynorsk and English."""

import datetime

import pytest
from playwright.sync_api import expect

from partners.models import BilateralPartner
from projects.models import Project, State
from tests.conftest import layout_problems
from tests.factories import get_commitment, make_project
from tests.test_browser_staff import real_errors, sign_in, tab_to

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("roles_from_the_migration"),
]


def funding_total(page) -> str | None:
    cell = page.locator("[data-funding-total]")
    return cell.get_attribute("data-funding-total") if cell.count() else None


def test_staff_register_a_project_by_keyboard_and_the_funding_figure_changes(
    live_server, page, console_errors, strategy, staff_user
):
    make_project(county_share_eur=100000, decided_on=datetime.date(2024, 3, 1))
    sign_in(page, live_server, "staff", "/en/")
    assert funding_total(page) == "100000"

    page.goto(live_server.url + "/en/prosjekter/")
    assert page.evaluate("typeof htmx") == "object"
    page.evaluate("window.__marker = 1")
    tab_to(page, "#register-project")
    page.keyboard.press("Enter")
    name = page.locator("#project-results #id_name")
    expect(name).to_be_focused()
    page.keyboard.type("Kystlinjer og klima")
    tab_to(page, "#id_acronym")
    page.keyboard.type("KYST")
    tab_to(page, "#id_role")
    page.keyboard.type("Lead")  # a select's type-ahead
    tab_to(page, "#id_state")
    page.keyboard.type("Granted")
    tab_to(page, "#id_total_budget_eur")
    page.keyboard.type("500000")
    tab_to(page, "#id_county_share_eur")
    page.keyboard.type("250000")
    page.keyboard.press("Enter")  # submits the form

    item = page.locator("li.project-card", has_text="Kystlinjer og klima")
    expect(item).to_be_focused()
    expect(page.locator("#workspace-announcer")).to_have_text(
        "“Kystlinjer og klima” was registered."
    )
    expect(item).to_contain_text("Granted")
    assert page.evaluate("window.__marker") == 1
    saved = Project.objects.get(acronym="KYST")
    assert (saved.role, saved.state, saved.county_share_eur) == ("lead_partner", "granted", 250000)
    assert saved.decided_on is not None  # the grant's date, kept when it was registered granted
    assert saved.history.get().history_user == staff_user

    page.goto(live_server.url + "/en/")
    assert funding_total(page) == "350000"
    expect(page.locator(".funding-table")).to_contain_text("Other funding")
    assert real_errors(console_errors) == []


@pytest.mark.parametrize("prefix, lang", [("", "nb"), ("/nn", "nn"), ("/en", "en")])
def test_the_project_pages_and_forms_pass_axe(
    live_server, page, console_errors, strategy, staff_user, prefix, lang
):
    project = make_project(other_partners="Aarhus universitet")
    project.partners.add(BilateralPartner.objects.get(slug="kaunas"))
    project.commitments.add(get_commitment("3.1"))
    project.links.create(title="Nyhetssak", url="https://example.org/nyhet")
    make_project(acronym="INTERN", is_public=False, state=State.RUNNING)
    make_project(acronym="AVSLAG", state=State.REJECTED, programme=None, is_example=True)
    problems = {}

    def check(what: str) -> None:
        assert page.locator("html").get_attribute("lang") == lang, what
        for width, problem in layout_problems(page).items():
            problems[(what, width)] = problem

    page.goto(f"{live_server.url}{prefix}/prosjekter/")
    check("list, anonymous")
    page.goto(f"{live_server.url}{prefix}/prosjekter/{project.slug}/")
    check("project, anonymous")
    sign_in(page, live_server, "staff", f"{prefix}/prosjekter/")
    page.locator("#register-project").click()
    expect(page.locator("#project-results #id_name")).to_be_focused()
    check("register form in place")
    page.goto(f"{live_server.url}{prefix}/prosjekter/{project.slug}/")
    page.locator("#project-body a[href$='/endre/']").click()
    expect(page.locator("#project-body #id_name")).to_be_focused()
    check("update form in place")
    page.locator("#id_county_share_eur").fill("99999999")
    page.locator("#project-body button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    check("update form with errors")
    assert real_errors(console_errors) == []
    assert problems == {}
