"""The briefing pack in a real Chromium: axe-core finds nothing on a partner's and an arena's
pack at desktop and phone width in bokmål, nynorsk and English, for an anonymous visitor and
for staff (whose pack holds internal items, marked); the PDF link downloads the PDF."""

import pytest

from partners.models import BilateralPartner, Organisation
from priorities.roles import STAFF_GROUP
from tests.conftest import layout_problems
from tests.factories import get_commitment, make_activity, make_measure, make_user
from tests.test_browser_staff import real_errors, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("roles_from_the_migration"),
]


def fill_packs() -> None:
    kaunas = BilateralPartner.objects.get(slug="kaunas")
    nsc = Organisation.objects.get(slug="cpmr-north-sea-commission")
    c11 = get_commitment("1.1")
    measure = make_measure(c11, title="Felles søknad med Kaunas")
    for days, public in ((10, True), (20, False)):
        make_activity(
            c11,
            title=f"Møte i Kaunas for {days} dager siden",
            days_ago=days,
            outcome="Enighet om en felles søknad.",
            is_public=public,
            is_example=days == 10,
            partners=[kaunas],
            organisations=[nsc],
            measure=measure,
        )


@pytest.mark.parametrize("prefix, lang", [("", "nb"), ("/nn", "nn"), ("/en", "en")])
def test_the_packs_pass_axe(live_server, page, console_errors, strategy, prefix, lang):
    fill_packs()
    make_user("packreader", STAFF_GROUP)
    paths = [f"{prefix}/partnere/kaunas/brief/", f"{prefix}/partnere/organisasjoner/errin/brief/"]
    paths.append(f"{prefix}/partnere/organisasjoner/cpmr-north-sea-commission/brief/")
    problems = {}

    def check(what: str) -> None:
        assert page.locator("html").get_attribute("lang") == lang, what
        for width, problem in layout_problems(page).items():
            problems[(what, width)] = problem

    for path in paths:
        page.goto(live_server.url + path)
        check(f"{path}, anonymous")
    sign_in(page, live_server, "packreader", paths[0])
    check(f"{paths[0]}, staff")
    assert page.locator(".badge--internal").count() >= 1
    page.goto(live_server.url + paths[2])
    check(f"{paths[2]}, staff")
    assert problems == {}
    assert real_errors(console_errors) == []


def test_the_pdf_link_downloads_the_pdf(live_server, page, strategy):
    fill_packs()
    page.goto(live_server.url + "/en/partnere/kaunas/")
    page.get_by_role("link", name="Briefing pack before a meeting (print or PDF)").click()
    page.wait_for_url(live_server.url + "/en/partnere/kaunas/brief/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    assert download.value.suggested_filename.startswith("kaunas-")
    with open(download.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
