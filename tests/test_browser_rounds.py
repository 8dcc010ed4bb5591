"""Reporting rounds in a real Chromium: the owner writes and submits an entry by keyboard
alone, the editor returns it with a comment, the owner fixes and resubmits it, the editor
approves it (the page never reloads in between); and axe-core finds nothing on the rounds'
pages at desktop and phone width in bokmål, nynorsk and English."""

import pytest
from playwright.sync_api import expect

from priorities.models import StatusUpdate
from reporting.models import EntryState
from tests.conftest import layout_problems
from tests.factories import get_commitment, make_owner, make_user
from tests.reporting.helpers import YEAR, approve_all, entry_of, open_round
from tests.test_browser_staff import real_errors, sign_in, tab_to

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("roles_from_the_migration"),
]


def test_an_entry_is_written_returned_fixed_and_approved_by_keyboard(
    live_server, page, browser, console_errors, strategy, editor_user
):
    owner = make_owner(get_commitment("1.1"))
    entry = entry_of(open_round())
    path = f"/en/rapportering/{YEAR}/svar/{entry.pk}/"
    sign_in(page, live_server, owner.username, path)
    assert page.evaluate("typeof htmx") == "object"
    page.evaluate("window.__marker = 1")

    # The owner writes the assessment, picks a status and submits.
    tab_to(page, "#id_assessment")
    page.keyboard.type("Godt i gang med kommunene.")
    tab_to(page, "input[name=status]")
    page.keyboard.press("ArrowDown")  # from the first status to the second: on track
    expect(page.locator("input[name=status][value=on_track]")).to_be_checked()
    tab_to(page, "#id_next_steps")
    page.keyboard.type("Nytt verksted.")
    tab_to(page, "button[value=submit]")
    page.keyboard.press("Enter")
    panel = page.locator("#entry-panel")
    expect(panel).to_be_focused()
    expect(page.locator("#workspace-announcer")).to_have_text("Your entry for 1.1 was submitted.")
    expect(panel).to_contain_text("Submitted")
    assert page.evaluate("window.__marker") == 1
    entry.refresh_from_db()
    assert (entry.state, entry.status, entry.submitted_by) == (
        EntryState.SUBMITTED,
        "on_track",
        owner,
    )

    # The editor, in a browser of their own, returns it with a comment.
    editor_page = browser.new_page()
    sign_in(editor_page, live_server, editor_user.username, path)
    tab_to(editor_page, "#id_review-comment")
    editor_page.keyboard.type("Skriv litt om hvilke kommuner.")
    tab_to(editor_page, "button[value=return]")
    editor_page.keyboard.press("Enter")
    expect(editor_page.locator("#entry-panel")).to_contain_text("Returned")

    # The owner sees the comment, fixes the assessment and submits again.
    page.reload()
    expect(page.locator("#entry-panel")).to_contain_text("Skriv litt om hvilke kommuner.")
    tab_to(page, "#id_assessment")
    page.keyboard.press("End")
    page.keyboard.type(" Sju av ti kommuner er med.")
    tab_to(page, "button[value=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("#entry-panel")).to_contain_text("Submitted")

    # The editor approves: the commitment's status update is the entry's.
    editor_page.reload()
    tab_to(editor_page, "button[value=approve]")
    editor_page.keyboard.press("Enter")
    expect(editor_page.locator("#entry-panel")).to_contain_text("Approved")
    expect(editor_page.locator("#workspace-announcer")).to_have_text(
        "The entry for 1.1 was approved."
    )
    update = StatusUpdate.objects.get(commitment=entry.commitment)
    assert update.assessment == "Godt i gang med kommunene. Sju av ti kommuner er med."
    assert update.status == "on_track"

    # The public yearly report shows it, to anyone.
    public = browser.new_page()
    public.goto(f"{live_server.url}/en/rapport/{YEAR}/")
    expect(public.locator("#reporting")).to_contain_text(update.assessment)

    # The other entries approved, the editor writes the introduction and approves the round
    # as the yearly report to the county council, by keyboard, in place.
    for other in entry.round.entries.exclude(pk=entry.pk):
        other.assessment, other.status = "Ferdig.", "completed"
        other.submit(editor_user)
        other.approve(editor_user)
    editor_page.goto(f"{live_server.url}/en/rapportering/{YEAR}/arsrapport/")
    editor_page.evaluate("window.__marker = 2")
    tab_to(editor_page, "#id_introduction")
    editor_page.keyboard.type("Et godt år for samarbeidet.")
    tab_to(editor_page, "button[value=approve]")
    editor_page.keyboard.press("Enter")
    expect(editor_page.locator("#workspace-announcer")).to_have_text(
        f"The annual report for {YEAR} was approved."
    )
    expect(editor_page.locator("#report-panel")).to_be_focused()
    assert editor_page.evaluate("window.__marker") == 2

    # The public report links to the Årsrapport, which shows the entry and the introduction.
    public.reload()
    public.get_by_role("link", name=f"Read the annual report {YEAR}").click()
    expect(public.locator("h1")).to_contain_text(f"Annual report {YEAR}")
    expect(public.locator("main")).to_contain_text("Et godt år for samarbeidet.")
    expect(public.locator("main")).to_contain_text(update.assessment)
    assert real_errors(console_errors) == []
    public.close()
    editor_page.close()


@pytest.mark.parametrize("prefix, lang", [("", "nb"), ("/nn", "nn"), ("/en", "en")])
def test_the_annual_report_pages_pass_axe(
    live_server, page, console_errors, strategy, prefix, lang
):
    editor = make_user("reviewer", "Redaktør")
    open_round(YEAR)  # not ready: the editor's page lists why
    approve_all(open_round(YEAR - 1), editor)
    get_commitment("1.1").measures.create(
        year=YEAR - 1, title="Søknadsverksted", responsible_unit="Internasjonalt team"
    )
    problems = {}

    def check(what: str) -> None:
        assert page.locator("html").get_attribute("lang") == lang, what
        for width, problem in layout_problems(page).items():
            problems[(what, width)] = problem

    page.goto(f"{live_server.url}{prefix}/rapport/{YEAR - 1}/")
    check("yearly report with the link")
    page.goto(f"{live_server.url}{prefix}/rapport/{YEAR - 1}/arsrapport/")
    check("annual report")
    sign_in(page, live_server, editor.username, f"{prefix}/rapportering/{YEAR}/arsrapport/")
    check("prepare the annual report, not ready")
    page.locator("button[value=approve]").click()
    expect(page.locator("#report-panel [role=alert]")).to_be_visible()
    check("approval refused, in place")
    page.goto(f"{live_server.url}{prefix}/rapportering/{YEAR - 1}/arsrapport/")
    check("approved annual report, editor")
    assert problems == {}
    # The refused approval is a 409 the page shows in place; nothing else went wrong.
    assert [e for e in real_errors(console_errors) if "409 (Conflict)" not in e] == []


@pytest.mark.parametrize("prefix, lang", [("", "nb"), ("/nn", "nn"), ("/en", "en")])
def test_the_rounds_pages_pass_axe(live_server, page, console_errors, strategy, prefix, lang):
    editor = make_user("reviewer", "Redaktør")
    owner = make_owner(get_commitment("1.1"))
    the_round = open_round()
    entry = entry_of(the_round)
    approved = entry_of(the_round, "1.2")
    approved.assessment, approved.status = "Ferdig.", "completed"
    approved.submit(owner)
    approved.approve(editor)
    base = f"{prefix}/rapportering/"
    entry_path = f"{base}{YEAR}/svar/{entry.pk}/"
    problems = {}

    def check(what: str) -> None:
        assert page.locator("html").get_attribute("lang") == lang, what
        for width, problem in layout_problems(page).items():
            problems[(what, width)] = problem

    sign_in(page, live_server, owner.username, entry_path)
    check("entry form, owner")
    page.locator("button[value=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    check("entry form with errors, in place")
    page.goto(live_server.url + f"{base}{YEAR}/")
    check("round, owner")
    page.context.clear_cookies()
    sign_in(page, live_server, editor.username, base)
    check("rounds, editor")
    page.goto(live_server.url + f"{base}ny/")
    check("open a round")
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".error-summary")).to_be_visible()
    check("open a round with errors")
    page.goto(live_server.url + f"{base}{YEAR}/")
    check("dashboard, editor")
    page.goto(live_server.url + f"{base}{YEAR}/svar/{approved.pk}/")
    check("approved entry")
    page.goto(live_server.url + f"{base}{YEAR}/svar/{approved.pk}/historikk/")
    check("entry history")
    assert real_errors(console_errors) == []
    assert problems == {}
