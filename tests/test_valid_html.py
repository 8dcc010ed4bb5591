"""Every page is valid HTML: the Nu HTML Checker (vnu) finds no error in any of them.

A crawl, as an anonymous visitor, a staff member and an editor, in bokmål, nynorsk and
English, starts from the pages below and follows the same-site links it finds, so a new page
is checked as soon as a page links to it. Each kind of page (language, view, query keys) is
fetched at most PER_KIND times. Pages only reached by a form (a form with errors, an import's
dry run, a message after a save, locked out) and the error pages are added by hand. Every page
is saved to one folder, and vnu checks the folder in one run (one JVM start).

Left out: htmx fragments (not pages; they are swapped into pages checked here) and Django's
admin (/admin/), whose markup is Django's own.

vnu.jar comes from the npm package vnu-jar (`npm ci`; package.json) or VNU_JAR, and runs on
the system's Java; without either the test is skipped and says why.
"""

import collections
import datetime
import io
import json
import os
import re
import shutil
import subprocess
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import OperationalError
from django.test import Client, RequestFactory, TestCase, override_settings
from django.urls import Resolver404, get_resolver, resolve
from django.utils import timezone, translation

from partners.models import BilateralPartner, Organisation, Programme
from planning.models import State
from priorities.demo import example_activities
from priorities.exchange import HEADER
from priorities.models import Activity, Commitment, Status, Strategy, Visit
from reporting.models import Round
from strategy_portal.views import server_error
from tests.factories import make_fee, make_measure, make_project, make_seat
from tests.public_pages import seed
from tests.reporting.helpers import approve_all, entry_of, open_round

JAR = Path(
    os.environ.get("VNU_JAR")
    or Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
)
PREFIXES = {"nb": "", "nn": "/nn", "en": "/en"}
OTHER_STRATEGY_FILE = Path(__file__).resolve().parent / "data" / "eksempel-strategi.toml"
PER_KIND = 2  # pages of each kind (language, view, query keys) per persona
MAX_PAGES = 1500  # a backstop: the crawl fails rather than leave pages unchecked
STAFF_ONLY = {
    "priorities:my_work",
    "priorities:activity_create",
    "priorities:activity_edit",
    "priorities:activity_delete",
    "priorities:activity_history",
    "priorities:status_create",
    "priorities:import",
    "planning:measure_create",
    "planning:measure_edit",
    "planning:measure_state",
    "planning:measure_history",
    "password_change",
    "password_change_done",
    "preferences",
    "reporting:rounds",
    "reporting:round_create",
    "reporting:round",
    "reporting:entry",
    "reporting:entry_history",
    "reporting:round_report",
    "projects:create",
    "projects:edit",
}
# Staff who are neither editors see no link to these (tests/planning/test_permissions.py).
EDITOR_ONLY = {
    "planning:measure_create",
    "planning:measure_edit",
    "reporting:round_create",
    "reporting:round_report",
}
NOT_CRAWLED = ("/static/", "/media/", "/api/")  # not pages, or not HTML
# Views whose answer is never an HTML page: downloads, feeds, a logo, and the sign-out POST.
NOT_PAGES = {
    "priorities:feed",
    "priorities:commitment_feed",
    "priorities:report_csv",
    "priorities:report_xlsx",
    "counties:logo",
    # The briefing packs' PDFs (their pages are crawled from the partner pages).
    "partners:partner_brief_pdf",
    "partners:organisation_brief_pdf",
    "logout",
    # The county sign-in: a redirect to the provider, and its callback (a redirect on
    # success); their pages are checked in tests/accounts/test_oidc_html.py.
    "oidc_login",
    "oidc_callback",
    # An editor's decision on a report entry: a POST that leads back to the entry's page.
    "reporting:entry_review",
    # The Årsrapport's PDF (tests/reporting/test_annual_report.py reads it).
    "reporting:annual_report_pdf",
    # The project register's open data (JSON), beside the API's own namespace.
    "projects_api:projects",
}


@pytest.fixture(scope="module")
def vnu() -> list[str]:
    java = shutil.which("java")
    if java is None:
        pytest.skip("vnu: no Java found (install default-jre-headless); HTML not checked")
    if not JAR.is_file():
        pytest.skip(f"vnu: {JAR} not found (run `npm ci`, or set VNU_JAR); HTML not checked")
    return [java, "-jar", str(JAR)]


@pytest.fixture
def content(strategy, staff_user, editor_user):
    """Content like the demo's: public, internal and example activities with partners,
    organisations and programmes; status updates with decisions and microsecond times; an
    activity of the staff member's own with a change history; commitments they own."""
    data = seed(author=editor_user)
    example_activities(36, authors=[staff_user, editor_user], first=datetime.date(2024, 1, 1))
    commitment = data["commitment"]
    commitment.owners.add(staff_user)
    own = Activity.objects.create(
        commitment=commitment,
        title="Studietur til Kaunas",
        kind=Activity.Kind.DELEGATION_VISIT,
        start_date=timezone.localdate() - datetime.timedelta(days=20),
        end_date=timezone.localdate() - datetime.timedelta(days=18),
        place="Kaunas",
        country="LT",
        description="Besøk hos byen.\n\nMøter med skoler og næringsliv.",
        outcome="Avtale om utveksling.",
        url="https://example.org/kaunas",
        programme=Programme.objects.first(),
        created_by=staff_user,
    )
    own.partners.set([data["kaunas"]])
    own.organisations.set(Organisation.objects.all()[:2])
    own.title = "Studietur og skolebesøk i Kaunas"
    own.is_public = False
    own.save()  # a change in the history
    # The visit's facts and participants: on its page, in the lists and in the edit form.
    visit = Visit.objects.create(
        activity=own, direction="outgoing", purpose="Skolebesøk.", follow_up="Avtale.", cost=1200
    )
    visit.participants.create(name="Eva Eksempeldal", title="fylkesordfører", role="politician")
    visit.participants.create(name="Wei", role="other", organisation="Kaunas kommune")
    for code, status in [("1.2", Status.ON_TRACK), ("2.1", Status.OFF_TRACK)]:
        priority, number = code.split(".")
        Commitment.objects.get(priority__number=priority, number=number).set_status(
            status=status,
            assessment="Vurdering.\nMed to linjer.",
            author=editor_user,
            decision_body="Hovedutvalg for kultur",
            decision_date=datetime.date(2025, 2, 3),
            decision_case_number="25/123",
            decision_url="https://example.org/vedtak",
        )
    commitment.set_status(status=Status.ON_TRACK, assessment="Bedre nå.", author=editor_user)
    assert any(update.created_at.microsecond for update in commitment.status_updates.all())
    BilateralPartner.objects.filter(slug="kaunas").update(
        agreement="Samarbeidsavtale",
        agreement_url="https://example.org/avtale",
        agreement_expires=timezone.localdate() + datetime.timedelta(days=30),
    )
    # Seats (current, ending soon, former) and fees: the organisation page's tables and the
    # staff flags.
    nsc = data["nsc"]
    make_seat(nsc, term_start=datetime.date(2020, 1, 1), term_end=datetime.date(2023, 12, 31))
    make_seat(nsc, body="Styret", deputy="", term_end=timezone.localdate(), is_example=True)
    make_fee(nsc, 2025, note="Vedtatt.")
    make_fee(nsc, 2024, is_example=True)
    # This year's action plan: a public measure the staff member is responsible for, with
    # changed states and fields; an internal one; an example.
    year = timezone.localdate().year
    measure = make_measure(
        commitment,
        responsible=staff_user,
        cost_nok=45000,
        person_weeks=1.5,
        description="To samlinger.\nMed kommunene.",
    )
    measure.set_state(
        state=State.IN_PROGRESS,
        comment="I gang.\nTo linjer.",
        author=staff_user,
        changed_on=datetime.date(year, 1, 2),
    )
    measure.title = "Felles søknadsverksted for kommunene"
    measure.save()
    make_measure(commitment, title="Internt budsjettarbeid", is_public=False, deadline=None)
    make_measure(Commitment.objects.get(priority__number=3, number=1), is_example=True)
    data["measure"] = measure
    # This year's reporting round: the staff member's entry submitted, then returned.
    the_round = open_round()
    entry = entry_of(the_round, commitment.code)
    entry.assessment, entry.status = "Godt i gang.\nTo linjer.", Status.ON_TRACK
    entry.submit(staff_user)
    entry.return_to_owner(editor_user, "Skriv mer om kommunene.")
    data["entry"] = entry
    # Last year's round approved as the yearly report to the county council (Årsrapport).
    approve_all(open_round(year - 1), editor_user)

    # Projects: a public one with partners, commitments and links; an internal one; an idea.
    project = make_project(other_partners="Aarhus universitet\nKommune X")
    project.partners.add(data["kaunas"])
    project.organisations.add(Organisation.objects.first())
    project.commitments.add(commitment)
    project.links.create(title="Nyhetssak", url="https://example.org/nyhet")
    make_project(acronym="INTERN", is_public=False)
    make_project(acronym="IDE", state="idea", programme=None, decided_on=None, is_example=True)
    data["project"] = project
    # A second strategy beside the current one, archived: its pages under strategier/<slug>/,
    # with the archived notice, reached from the list of strategies.
    call_command("load_strategy", str(OTHER_STRATEGY_FILE), stdout=io.StringIO())
    other = Strategy.objects.exclude(pk=data["commitment"].priority.strategy_id).get()
    Activity.objects.create(
        commitment=Commitment.objects.of_strategy(other).first(),
        title="Oppdiktet nettverksmøte",
        kind=Activity.Kind.MEETING,
        start_date=datetime.date(2025, 5, 6),
        created_by=staff_user,
    )
    other.ended_on = timezone.localdate() - datetime.timedelta(days=1)
    other.save()
    return data


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def language_of(path: str) -> str:
    for lang, prefix in PREFIXES.items():
        if prefix and (path == prefix or path.startswith(prefix + "/")):
            return lang
    return "nb"


def view_name(path: str) -> str:
    # i18n_patterns resolve a prefixed path only in the prefix's language.
    with translation.override(language_of(path)):
        try:
            return resolve(path).view_name
        except Resolver404:
            return "(not found)"


def page_kind(url: str) -> tuple:
    parts = urlsplit(url)
    keys = tuple(sorted(parse_qs(parts.query, keep_blank_values=True)))
    # Another strategy's pages (strategier/<slug>/…) are a kind of their own: checked too.
    other_strategy = "/strategier/" in parts.path and not parts.path.endswith("/strategier/")
    return language_of(parts.path), view_name(parts.path), keys, other_strategy


def same_site(base: str, href: str) -> str | None:
    """The link as a path with query, if it is a page of the portal to crawl."""
    parts = urlsplit(urljoin("http://testserver" + base, href))
    if parts.scheme not in ("http", "https") or parts.netloc != "testserver":
        return None
    unprefixed = parts.path.removeprefix(PREFIXES[language_of(parts.path)])
    if unprefixed.startswith(NOT_CRAWLED) or unprefixed.startswith("/admin/"):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


class Pages:
    """The saved pages: one file each, and what it was (for the failure message)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.about: dict[str, str] = {}

    def save(self, persona: str, what: str, response) -> None:
        name = f"{persona}-{len(self.about):04d}.html"
        (self.folder / name).write_bytes(response.content)
        self.about[name] = f"{persona} {what} ({response.status_code})"


def crawl(client: Client, persona: str, starts: list[str], pages: Pages) -> set[str]:
    """Fetch the start pages and the pages they link to; save every HTML page. Returns the
    views whose pages were saved."""
    queue = collections.deque(starts)
    seen: set[str] = set()
    per_kind: collections.Counter = collections.Counter()
    views: set[str] = set()
    while queue:
        url = queue.popleft()
        kind = page_kind(url)
        if url in seen or per_kind[kind] >= PER_KIND:
            continue
        seen.add(url)
        per_kind[kind] += 1
        assert len(pages.about) < MAX_PAGES, "the crawl grew past MAX_PAGES: raise it"
        response = client.get(url)
        if response.status_code in (301, 302, 303, 307, 308):
            if target := same_site(url, response["Location"]):
                queue.append(target)
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        pages.save(persona, url, response)
        views.add(kind[1])
        links = _Links()
        links.feed(response.text)
        queue.extend(filter(None, (same_site(url, href) for href in links.hrefs)))
    return views


def html_views() -> set[str]:
    """Every named view of the portal that answers with a page (the admin aside)."""

    def names(patterns, namespace: str = ""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):  # an include() or the language prefix
                if pattern.namespace not in ("admin", "api"):
                    inner = pattern.namespace or ""
                    yield from names(pattern.url_patterns, f"{inner}:" if inner else namespace)
            elif pattern.name:
                yield namespace + pattern.name

    return set(names(get_resolver().url_patterns)) - NOT_PAGES


def csv_upload(*rows: list[str]) -> SimpleUploadedFile:
    text = "\n".join(";".join(row) for row in [HEADER, *rows]) + "\n"
    return SimpleUploadedFile("aktiviteter.csv", text.encode())


def by_hand(clients: dict[str, Client], pages: Pages, content) -> None:
    """The pages no link leads to: answers to forms, and the error pages."""
    commitment = content["commitment"]
    create = f"/prioriteringer/{commitment.priority.slug}/{commitment.number}/aktiviteter/ny/"
    status = f"/prioriteringer/{commitment.priority.slug}/{commitment.number}/status/"
    good_row = ["", "1.1", "Importert møte", "meeting", "2025-03-01", *[""] * (len(HEADER) - 5)]
    bad_row = ["", "9.9", "", "party", "2025-13-01", *[""] * (len(HEADER) - 5)]
    anonymous, staff, editor = clients["anonymous"], clients["staff"], clients["editor"]
    year = timezone.localdate().year
    add_measure = f"/handlingsplan/{year}/tiltak/ny/"
    measure_state = f"/handlingsplan/tiltak/{content['measure'].pk}/tilstand/"
    for prefix in PREFIXES.values():
        # Committed, as a deployment's writes are before the next request: a PDF is kept
        # only under a content version that counts every write (strategy_portal.pdf).
        with TestCase.captureOnCommitCallbacks(execute=True):
            # Forms sent with errors: re-rendered whole, with the error summary.
            pages.save("staff", f"{prefix}{create} POST, errors", staff.post(prefix + create, {}))
            pages.save("editor", f"{prefix}{status} POST, errors", editor.post(prefix + status, {}))
            response = editor.post(prefix + add_measure, {"deadline": "1999-01-01"})
            pages.save("editor", f"{prefix}{add_measure} POST, errors", response)
            response = staff.post(prefix + measure_state, {"state": "nope"})
            pages.save("staff", f"{prefix}{measure_state} POST, errors", response)
            response = staff.post(
                prefix + measure_state,
                {"state": "done", "changed_on": timezone.localdate().isoformat()},
                follow=True,
            )
            pages.save("staff", f"{prefix}{measure_state} POST, then the plan", response)
            entry = content["entry"]
            entry_path = f"/rapportering/{year}/svar/{entry.pk}/"
            response = staff.post(prefix + entry_path, {"status": "nope", "action": "submit"})
            pages.save("staff", f"{prefix}{entry_path} POST, errors", response)
            response = editor.post(prefix + "/rapportering/ny/", {"deadline": "1999-01-01"})
            pages.save("editor", f"{prefix}/rapportering/ny/ POST, errors", response)
            review = {"review-action": "return", "review-comment": ""}
            response = editor.post(prefix + entry_path + "behandle/", review)
            pages.save("editor", f"{prefix}{entry_path}behandle/ POST, errors", response)
            # The yearly report approved while entries are open: refused, with the reasons.
            report_path = f"/rapportering/{year}/arsrapport/"
            response = editor.post(prefix + report_path, {"introduction": "x", "action": "approve"})
            pages.save("editor", f"{prefix}{report_path} POST, refused", response)
            response = editor.post(f"{prefix}/import/", {"file": csv_upload(good_row)})
            pages.save("editor", f"{prefix}/import/ POST, dry run", response)
            response = editor.post(f"{prefix}/import/", {"file": csv_upload(bad_row)})
            pages.save("editor", f"{prefix}/import/ POST, errors", response)
            response = staff.post(f"{prefix}/accounts/password_change/", {"old_password": "x"})
            pages.save("staff", f"{prefix}/accounts/password_change/ POST, errors", response)
            login = f"{prefix}/accounts/login/"
            response = anonymous.post(login, {"username": "staff", "password": "wrong"})
            pages.save("anonymous", f"{login} POST, wrong password", response)
            # A message after a save, on the page the form leads back to.
            data = {"title": "Nytt møte", "kind": "meeting", "start_date": "2025-06-12"}
            response = staff.post(prefix + create, data, follow=True)
            pages.save("staff", f"{prefix}{create} POST, then the page it leads to", response)
            # The project register: a form with errors, and the page a saved project leads to.
            response = staff.post(f"{prefix}/prosjekter/ny/", {"total_budget_eur": "-1"})
            pages.save("staff", f"{prefix}/prosjekter/ny/ POST, errors", response)
            edit = f"{prefix}/prosjekter/{content['project'].slug}/endre/"
            response = staff.post(edit, {"end_date": "1999-01-01"})
            pages.save("staff", f"{edit} POST, errors", response)
            # Not found, in the language of the address.
            missing = f"{prefix}/finnes-ikke/"
            pages.save("anonymous", missing, anonymous.get(missing))
        # The Årsrapport's PDF while a task worker builds it: a 202 page (the crawl has had it
        # built by the immediate backend: forget the built files first).
        for built in Path(settings.PDF_CACHE_DIR).glob("*.pdf"):
            built.unlink()
        with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
            with translation.override(settings.LANGUAGE_CODE):  # the unprefixed address
                path = Round.objects.report_approved().get().get_report_pdf_url()
            response = anonymous.get(prefix + path)
        assert response.status_code == 202
        pages.save("anonymous", f"{prefix} Årsrapport PDF being made", response)

    # Locked out after too many wrong passwords (django-axes).
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = anonymous.post("/accounts/login/", {"username": "nobody", "password": "no"})
    assert response.status_code == 429
    pages.save("anonymous", "/accounts/login/ POST, locked out", response)

    # The error pages that need a failure: 400 (a host the portal doesn't serve), 500, 503.
    pages.save("anonymous", "/ from evil.example", anonymous.get("/", HTTP_HOST="evil.example"))
    request = RequestFactory().get("/")
    for error in (ValueError("a bug"), OperationalError("database down")):
        try:
            raise error
        except type(error):
            pages.save("anonymous", f"error page for {error!r}", server_error(request))


def starts(persona: str, content) -> list[str]:
    paths = [
        "/",
        "/aktiviteter/",
        "/aktiviteter/?q=Kaunas",
        "/aktiviteter/?q=finnes-ikke-noe-sted",
        "/aktiviteter/?year=abc",
        f"{content['commitment'].get_absolute_url()}?year=abc",
        "/partnere/",
        "/prosjekter/",
        "/prosjekter/?programme=nope",
        "/rapport/",
        "/strategier/",
        "/tilgjengelighetserklaering/",
        "/accounts/login/",
    ]
    if persona != "anonymous":
        paths += [
            "/mitt-arbeid/",
            "/import/",
            "/accounts/password_change/",
            "/accounts/password_change/done/",
        ]
    return [prefix + path for path in paths for prefix in PREFIXES.values()]


def run_vnu(vnu: list[str], folder: Path) -> list[dict]:
    result = subprocess.run(
        [*vnu, "--format", "json", "--skip-non-html", "--exit-zero-always", str(folder)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.stderr.strip(), f"vnu said nothing (exit {result.returncode}): {result.stdout}"
    return json.loads(result.stderr)["messages"]


@pytest.mark.vnu
def test_every_page_is_valid_html(vnu, content, staff_user, editor_user, tmp_path):
    started = time.monotonic()
    clients = {"anonymous": Client(), "staff": Client(), "editor": Client()}
    clients["staff"].force_login(staff_user)
    clients["editor"].force_login(editor_user)
    pages = Pages(tmp_path)
    views = {}
    for persona, client in clients.items():
        views[persona] = crawl(client, persona, starts(persona, content), pages)
    by_hand(clients, pages, content)
    crawled = time.monotonic()

    messages = run_vnu(vnu, tmp_path)
    errors = [m for m in messages if m["type"] in ("error", "non-document-error")]
    counts = collections.Counter(name.split("-")[0] for name in pages.about)
    print(
        f"\nvnu: {len(pages.about)} pages ({dict(counts)}), {len(errors)} errors; "
        f"crawl {crawled - started:.1f} s, vnu {time.monotonic() - crawled:.1f} s"
    )

    # The crawl reached every page of the portal (a page no link leads to would be missed).
    assert html_views() - STAFF_ONLY - views["anonymous"] == set()
    assert html_views() - {"login"} - EDITOR_ONLY - views["staff"] == set()  # signed in: sent on
    assert html_views() - {"login"} - views["editor"] == set()

    report = [
        f"{pages.about.get(Path(urlsplit(m.get('url', '')).path).name, m.get('url'))} "
        f"line {m.get('lastLine', '?')}: {m['message']}\n    {m.get('extract', '').strip()}"
        for m in errors
    ]
    assert not errors, f"{len(errors)} vnu errors in {len(pages.about)} pages:\n" + "\n".join(
        report
    )


HX_ATTRIBUTE = re.compile(r"(?<![\w-])hx-[a-z-]+=")


def test_templates_and_code_write_data_hx_attributes():
    """hx-* attributes are not HTML; htmx reads data-hx-* as well. Checked without vnu too."""
    root = Path(settings.BASE_DIR)
    files = [*root.glob("templates/**/*.html"), *root.glob("static/js/*.js")]
    files += [*root.glob("priorities/**/*.py"), *root.glob("partners/**/*.py")]
    files += root.glob("strategy_portal/**/*.py")
    found = [
        f"{path.relative_to(root)}:{number}: {line.strip()}"
        for path in files
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if HX_ATTRIBUTE.search(line)
    ]
    assert found == []
