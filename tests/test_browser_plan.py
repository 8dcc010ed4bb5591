"""The action plan in a real Chromium: an editor adds a measure in place by keyboard alone,
an owner of the commitment changes its state the same way (the page never reloads), and
axe-core finds nothing on the plan and the measure form at desktop and phone width in
bokmål, nynorsk and English."""

import pytest
from playwright.sync_api import expect

from planning.models import Measure, State
from priorities.roles import STAFF_GROUP
from tests.conftest import layout_problems
from tests.factories import get_commitment, make_measure, make_owner, make_user
from tests.test_browser_staff import real_errors, sign_in, tab_to

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("roles_from_the_migration"),
]

PLAN = "/en/handlingsplan/"


def test_an_editor_adds_a_measure_and_an_owner_changes_its_state_by_keyboard(
    live_server, page, browser, console_errors, strategy, editor_user
):
    commitment = get_commitment("1.1")
    owner = make_owner(commitment)
    sign_in(page, live_server, "editor", PLAN)
    assert page.evaluate("typeof htmx") == "object"
    page.evaluate("window.__marker = 1")

    # The editor tabs to "Add measure" under 1.1 and opens the form in place.
    tab_to(page, f"#add-measure-{commitment.pk}")
    page.keyboard.press("Enter")
    title = page.locator(f"#plan-commitment-{commitment.pk} #id_title")
    expect(title).to_be_focused()
    page.keyboard.type("Søknadsverksted for kommunene")
    tab_to(page, "#id_description")
    page.keyboard.type("To samlinger om Interreg.")
    tab_to(page, "#id_responsible_unit")
    page.keyboard.type("Regional utvikling")
    tab_to(page, "#id_cost_nok")
    page.keyboard.type("60000")
    page.keyboard.press("Enter")  # submits the form

    measure = page.locator("li.measure", has_text="Søknadsverksted for kommunene")
    expect(measure).to_be_focused()
    expect(page.locator("#workspace-announcer")).to_have_text(
        "“Søknadsverksted for kommunene” was added to the plan."
    )
    expect(measure).to_contain_text("Planned")
    expect(measure).to_contain_text("NOK 60,000")
    assert page.evaluate("window.__marker") == 1
    saved = Measure.objects.get()
    assert (saved.commitment, saved.responsible_unit, saved.cost_nok) == (
        commitment, "Regional utvikling", 60000,
    )  # fmt: skip
    assert saved.history.get().history_user == editor_user

    # The owner of 1.1, in a browser of their own, changes its state.
    owner_page = browser.new_page()
    owner_errors = []
    owner_page.on("console", lambda m: owner_errors.append(m.text) if m.type == "error" else None)
    sign_in(owner_page, live_server, owner.username, PLAN)
    owner_page.evaluate("window.__marker = 2")
    tab_to(owner_page, f'a[href="/en/handlingsplan/tiltak/{saved.pk}/tilstand/"]')
    owner_page.keyboard.press("Enter")
    planned = owner_page.locator("#id_state input[value='planned']")
    expect(planned).to_be_focused()
    owner_page.keyboard.press("ArrowDown")
    expect(owner_page.locator("#id_state input[value='in_progress']")).to_be_checked()
    tab_to(owner_page, "#id_comment")
    owner_page.keyboard.type("Første samling er holdt.")
    tab_to(owner_page, f"#measure-{saved.pk} button[type=submit]")
    owner_page.keyboard.press("Enter")

    item = owner_page.locator(f"#measure-{saved.pk}")
    expect(item).to_be_focused()
    expect(item).to_contain_text("In progress")
    expect(item).to_contain_text("Første samling er holdt.")
    assert owner_page.evaluate("window.__marker") == 2
    change = saved.state_changes.get()
    assert (change.state, change.comment, change.author) == (
        State.IN_PROGRESS, "Første samling er holdt.", owner,
    )  # fmt: skip
    assert real_errors(console_errors) == []
    assert real_errors(owner_errors) == []
    owner_page.close()


@pytest.mark.parametrize("prefix, lang", [("", "nb"), ("/nn", "nn"), ("/en", "en")])
def test_the_plan_and_the_measure_form_pass_axe(
    live_server, page, console_errors, strategy, prefix, lang
):
    editor = make_user("planner", "Redaktør")
    staff = make_user("responsible", STAFF_GROUP)
    measure = make_measure(get_commitment("1.1"), responsible=staff, cost_nok=45000,
                           person_weeks=1.5, description="To samlinger.")  # fmt: skip
    measure.set_state(state=State.IN_PROGRESS, comment="I gang.", author=staff)
    make_measure(get_commitment("1.1"), title="Internt budsjett", is_public=False, deadline=None)
    make_measure(get_commitment("3.1"), title="Eksempel", is_example=True)
    plan = f"{prefix}/handlingsplan/"
    edit = f"{prefix}/handlingsplan/tiltak/{measure.pk}/endre/"
    state = f"{prefix}/handlingsplan/tiltak/{measure.pk}/tilstand/"

    problems = {}

    def check(what: str) -> None:
        assert page.locator("html").get_attribute("lang") == lang, what
        for width, problem in layout_problems(page).items():
            problems[(what, width)] = problem

    page.goto(live_server.url + plan)  # anonymous
    check("plan, anonymous")
    sign_in(page, live_server, editor.username, plan)
    check("plan, editor")
    page.locator(f"#measure-{measure.pk} a[href$='/endre/']").click()
    expect(page.locator(f"#measure-{measure.pk} #id_title")).to_be_focused()
    check("edit form in place")
    page.goto(live_server.url + edit)
    check("edit form page")
    page.goto(live_server.url + state)
    check("state form page")
    page.locator("#id_changed_on").fill("")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    check("state form with errors")
    assert real_errors(console_errors) == []
    assert problems == {}
