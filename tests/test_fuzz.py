"""Generated input for every form and query parameter: a clear 4xx, never a 500, and a
refused request saves nothing.

hypothesis draws the input: any unicode (NUL bytes included), huge strings, odd dates, negative
and huge ids, unknown choices, random files. Each test is one endpoint; the database keeps what
earlier examples saved, so every example compares all rows before and after its request.
FUZZ_EXAMPLES=500 digs deeper than the default run.
"""

import csv
import datetime
import io
import os
import re
from urllib.parse import quote_from_bytes, urljoin, urlsplit

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import FieldDoesNotExist
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.test import Client, RequestFactory
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from priorities import exchange
from priorities.models import Activity, Commitment
from tests.factories import PASSWORD, get_commitment
from tests.html_forms import form_fields
from tests.priorities.workspace_helpers import HX, activity_data, edit_data, make_activity, url

fuzz = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "30")),
    deadline=None,
    database=None,  # no saved failing examples: each run draws afresh, CI the same as here
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # the fixtures hold for every example on purpose
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)

# --- What the input is made of ---------------------------------------------------------------

NASTY = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "%00",
    "<script>alert(1)</script>",
    "' OR '1'='1' --",
    '=HYPERLINK("http://evil.example")',
    "../../etc/passwd",
    "\u202egnp.exe",
    "\ufeff",
    "🙂" * 3,
    "\r\n",
    "None",
    "NaN",
    "-1",
    "0",
    "9" * 40,
]
# Long strings: over each field's limit and over a page. (Over Django's 2.5 MB limit for a
# whole request: test_oversize_posts.) In a query string or a path only what fits in a request
# line reaches the app: gunicorn refuses lines over 4 KB.
huge = st.builds(
    lambda char, n: char * n,
    st.sampled_from(["a", "ø", "\x00", "🙂", "<"]),
    st.sampled_from([3, 201, 2001, 5001, 70_000]),
)
text = st.one_of(st.text(max_size=300), st.sampled_from(NASTY), huge)
short_text = st.one_of(st.text(max_size=300), st.sampled_from(NASTY))
number = st.one_of(
    st.integers(-5, 40),
    st.integers(-(2**70), 2**70),
    st.sampled_from([2**15, 2**31, 2**63 - 1, 2**63, 2**64]),
)
ids = st.one_of(number.map(str), text)
dates = st.one_of(
    st.dates().map(datetime.date.isoformat),
    st.sampled_from(
        [
            "2025-02-29",
            "2025-02-30",
            "0000-00-00",
            "0001-01-01",
            "9999-12-31",
            "10000-01-01",
            "2025-13-01",
            "31.12.2025",
            "12/31/2025",
            "2025-06-12T10:00",
            "2025-06-12\x00",
            "1e10",
        ]
    ),
    text,
)
years = st.one_of(st.integers(1900, 2040).map(str), number.map(str), text)
pages = st.one_of(st.integers(0, 5).map(str), number.map(str), text)
links = st.one_of(
    st.sampled_from(
        [
            "https://example.org/",
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "ftp://example.org/file",
            "//evil.example/",
            "http://[::1",
            "http://" + "a" * 300 + ".example/",
            "https://exa mple.org/",
        ]
    ),
    text,
)
slugs = st.one_of(
    st.sampled_from(
        ["medlemsorganisasjoner", "kaunas", "errin", "horizon-europe", "hubei", "prosjektarbeid"]
    ),
    text,
)
choice = st.one_of(st.sampled_from(Activity.Kind.values), text)
checkbox = st.sampled_from(["on", "", "true", "false", "0", "\x00"])
# A few real ids (1-10) among the invalid ones, for the partner and organisation checkboxes.
id_lists = st.lists(st.one_of(st.integers(1, 10).map(str), ids), max_size=4)

ACTIVITY_FIELDS = {
    "title": text,
    "kind": choice,
    "start_date": dates,
    "end_date": dates,
    "place": text,
    "country": st.one_of(st.sampled_from(["no", "NO", "Nor", "1a", "ø1"]), text),
    "description": text,
    "outcome": text,
    "partners": id_lists,
    "organisations": id_lists,
    "programme": ids,
    "url": links,
    "is_public": checkbox,
}


# What saving an activity may touch: the row, its links, and their history.
ACTIVITY_TABLES = {
    "activity",
    "activity_partners",
    "activity_organisations",
    "historicalactivity",
    "historicalactivity_partners",
    "historicalactivity_organisations",
}


def form_data(valid: dict, fields: dict):
    """A valid POST with some fields replaced by generated values and some left out: mostly
    valid forms reach the deep checks (and sometimes save), wholly random ones stop early."""
    return st.tuples(
        st.fixed_dictionaries({}, optional=fields),
        st.sets(st.sampled_from(sorted(valid))),
    ).map(lambda drawn: {k: v for k, v in (valid | drawn[0]).items() if k not in drawn[1]})


def query(fields: dict):
    """GET parameters: any subset of the known ones, plus an unknown one now and then."""
    fields = {**fields, "unknown": text}
    return st.fixed_dictionaries({}, optional={k: in_url(v) for k, v in fields.items()})


def in_url(values):
    """What fits in a request line: gunicorn refuses lines over 4 KB before Django sees them."""
    return values.map(lambda v: v[:400] if isinstance(v, str) else [x[:400] for x in v])


# Raw query strings, bytes that are not UTF-8 included.
raw_queries = st.binary(max_size=200).map(lambda b: quote_from_bytes(b, safe="=&"))

# --- Watching the database -------------------------------------------------------------------

WATCHED = [
    model
    for label in ("priorities", "partners", "auth", "accounts")
    for model in apps.get_app_config(label).get_models(include_auto_created=True)
]


def rows() -> dict[str, int]:
    """Row counts of every table of the portal's apps and users (history and links too)."""
    return {model._meta.db_table: model.objects.count() for model in WATCHED}


def changed(before: dict[str, int]) -> dict[str, tuple[int, int]]:
    after = rows()
    return {
        table: (before[table], after[table]) for table in before if before[table] != after[table]
    }


def ok(response) -> None:
    """Never a server error; a refusal is a 4xx."""
    assert response.status_code < 500, response.status_code


# --- Fixtures --------------------------------------------------------------------------------


@pytest.fixture
def create_url(commitment):
    return url("priorities:activity_create", commitment.priority.slug, commitment.number)


# --- The staff workspace ---------------------------------------------------------------------


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@fuzz
@given(data=form_data(activity_data(), ACTIVITY_FIELDS))
def test_log_activity(staff_client, create_url, htmx, data):
    before = rows()
    response = staff_client.post(create_url, data, **(HX if htmx else {}))
    ok(response)
    if response.status_code == (200 if htmx else 303):
        # One activity, its history, and its links: nothing else.
        after, count = changed(before), before["priorities_activity"]
        assert after["priorities_activity"] == (count, count + 1)
        assert {table.removeprefix("priorities_") for table in after} <= ACTIVITY_TABLES
    else:
        assert response.status_code in (400, 422)
        assert changed(before) == {}


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@fuzz
@given(
    data=st.fixed_dictionaries({}, optional={**ACTIVITY_FIELDS, "version": text}),
    keep=st.sets(st.sampled_from(sorted({*ACTIVITY_FIELDS, "version"}))),
)
def test_edit_activity(staff_client, staff_user, commitment, htmx, data, keep):
    activity = make_activity(commitment, staff_user, title="Fuzzed")
    # The fields not drawn keep the activity's own values, the version included (so some
    # examples save); the drawn ones replace them.
    sent = edit_data(activity) | data
    sent = {k: v for k, v in sent.items() if k in data or k not in keep}
    before, values = rows(), Activity.objects.filter(pk=activity.pk).values().get()
    path = url("priorities:activity_edit", activity.pk)
    response = staff_client.post(path, sent, **(HX if htmx else {}))
    ok(response)
    if response.status_code not in (200, 303):
        assert response.status_code in (400, 409, 422)
        assert changed(before) == {}
        assert Activity.objects.filter(pk=activity.pk).values().get() == values


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@fuzz
@given(
    data=st.fixed_dictionaries(
        {},
        optional={
            "status": st.one_of(st.sampled_from(["on_track", "completed", "ON_TRACK"]), text),
            "assessment": text,
        },
    )
)
def test_set_status(editor_client, commitment, htmx, data):
    path = url("priorities:status_create", commitment.priority.slug, commitment.number)
    before = rows()
    response = editor_client.post(path, data, **(HX if htmx else {}))
    ok(response)
    if response.status_code == (200 if htmx else 303):
        count = before["priorities_statusupdate"]
        assert changed(before) == {
            "priorities_statusupdate": (count, count + 1),
            "priorities_historicalstatusupdate": (count, count + 1),
        }
    else:
        assert response.status_code in (400, 422)
        assert changed(before) == {}


@fuzz
@given(
    view=st.sampled_from(["activity", "activity_edit", "activity_delete", "activity_history"]),
    pk=st.one_of(st.integers(0, 40), st.integers(0, 2**80)),
    method=st.sampled_from(["GET", "POST"]),
    htmx=st.booleans(),
    params=query({"cancel": text}),
)
def test_guessed_ids(
    staff_client, staff_user, other_staff_user, commitment, view, pk, method, htmx, params
):
    # Some ids are the staff member's, some a colleague's, most none.
    make_activity(commitment, staff_user)
    make_activity(commitment, other_staff_user, is_public=False)
    own = Activity.objects.filter(pk=pk, created_by=staff_user).exists()
    before = rows()
    path = url(f"priorities:{view}", pk)
    headers = HX if htmx else {}
    if method == "GET":
        response = staff_client.get(path, params, **headers)
    else:
        response = staff_client.post(path, params, **headers)
    ok(response)
    if response.status_code >= 400:
        assert changed(before) == {}
    if not own and view in ("activity_edit", "activity_delete"):
        assert response.status_code in (403, 404)


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@fuzz
@given(slug=in_url(slugs), number=st.integers(0, 2**70), method=st.sampled_from(["GET", "POST"]))
def test_workspace_paths(editor_client, strategy, htmx, slug, number, method):
    """Unknown commitments in the workspace's paths are a 404, whoever asks."""
    known = bool(re.fullmatch(r"[-\w]+", slug, re.ASCII)) and (
        Commitment.objects.filter(priority__slug=slug, number=min(number, 2**15)).exists()
    )
    before = rows()
    for name in ("activity_create", "status_create"):
        path = url(f"priorities:{name}", "x", 1).replace("/x/1/", f"/{quote(slug)}/{number}/")
        response = getattr(editor_client, method.lower())(path, **(HX if htmx else {}))
        ok(response)
        assert known or response.status_code == 404
    assert changed(before) == {}


def quote(value: str) -> str:
    return quote_from_bytes(value.encode(), safe="")


@pytest.mark.parametrize(
    "data",
    [
        activity_data(description="a" * 2_700_000),
        activity_data(partners=[str(i) for i in range(1_001)]),
    ],
    ids=["over 2.5 MB", "over 1000 fields"],
)
def test_oversize_posts(staff_user, editor_user, commitment, data, subtests):
    """Over Django's limits for one request: a 400, and nothing saved or deleted.

    The clients check CSRF as in production, where the check reads the body first.
    """
    activity = make_activity(commitment, staff_user)
    slug, number = commitment.priority.slug, commitment.number
    staff, editor, anonymous = (Client(enforce_csrf_checks=True) for _ in range(3))
    staff.force_login(staff_user)
    editor.force_login(editor_user)
    posts = [
        (staff, url("priorities:activity_create", slug, number)),
        (staff, url("priorities:activity_edit", activity.pk)),
        (staff, url("priorities:activity_delete", activity.pk)),
        (editor, url("priorities:status_create", slug, number)),
        (editor, url("priorities:import")),
        (staff, "/accounts/password_change/"),
        (staff, "/accounts/innstillinger/"),
        (anonymous, "/accounts/login/"),
    ]
    before = rows()
    for client, path in posts:
        client.get(path)  # the form, and with it a CSRF cookie
        token = {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value}
        for headers in (token, {**token, **HX}):
            with subtests.test(path=path, htmx="HTTP_HX_REQUEST" in headers):
                assert client.post(path, data, **headers).status_code == 400
    assert changed(before) == {}


# --- Signing in and the password -------------------------------------------------------------


@fuzz
@given(
    data=form_data(
        {"username": "staff", "password": PASSWORD},
        {
            "username": st.one_of(st.just("staff"), text),
            "password": st.one_of(st.just(PASSWORD), text),
            "next": st.one_of(st.just("/mitt-arbeid/"), links),
        },
    ),
    next_url=st.one_of(st.none(), in_url(links)),
    address=st.one_of(
        st.ip_addresses().map(str), st.sampled_from(["", "unknown", "999.1.1.1", "::g"])
    ),
    agent=st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=600),
)
def test_login(client, staff_user, data, next_url, address, agent):
    path = "/accounts/login/" + (f"?next={quote(next_url)}" if next_url is not None else "")
    before = rows()
    response = client.post(path, data, REMOTE_ADDR=address, HTTP_USER_AGENT=agent)
    ok(response)
    signed_in = SESSION_KEY in client.session
    if response.status_code == 302 and signed_in:
        # Only the right password signs in, and only to a page on this site (as a browser
        # reads the Location: relative to the page, backslashes as slashes).
        assert data.get("password") == PASSWORD
        target = urlsplit(
            urljoin(f"http://testserver{path}", response["Location"].replace("\\", "/"))
        )
        assert (target.scheme, target.netloc) == ("http", "testserver")
        client.logout()
    else:
        assert response.status_code in (200, 400, 429)
        assert not signed_in
    # Failed attempts go to django-axes' own tables; no portal row comes or goes.
    assert changed(before) == {}


@fuzz
@given(
    data=form_data(
        {
            "old_password": PASSWORD,
            "new_password1": "x-new-pass-91",
            "new_password2": "x-new-pass-91",
        },
        {
            "old_password": st.one_of(st.just(PASSWORD), text),
            "new_password1": text,
            "new_password2": text,
        },
    )
)
def test_password_change(staff_client, staff_user, data):
    before = rows()
    response = staff_client.post("/accounts/password_change/", data)
    ok(response)
    staff_user.refresh_from_db()
    if response.status_code == 302:
        assert staff_user.check_password(data["new_password1"])
        staff_user.set_password(PASSWORD)
        staff_user.save()
        staff_client.force_login(staff_user)
    else:
        assert response.status_code in (200, 400)
        assert staff_user.check_password(PASSWORD)
        assert changed(before) == {}


# --- Public pages and their parameters -------------------------------------------------------

SEARCH_FIELDS = {
    "q": text,
    "priority": slugs,
    "commitment": st.one_of(st.sampled_from(["1.1", "4.3", "9.9", "1.1.1"]), text),
    "partner": slugs,
    "organisation": slugs,
    "programme": slugs,
    "kind": choice,
    "year": years,
    "page": pages,
}


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@fuzz
@given(params=query(SEARCH_FIELDS), trigger=st.one_of(st.none(), text))
def test_search(client, strategy, htmx, params, trigger):
    headers = HX if htmx else {}
    if htmx and trigger is not None:
        headers = {**headers, "HTTP_HX_TRIGGER": trigger.replace("\x00", "")[:200]}
    response = client.get(url("priorities:search"), params, **headers)
    ok(response)
    assert response.status_code in (200, 400)


@fuzz
@given(params=query(SEARCH_FIELDS), raw=st.one_of(st.none(), raw_queries))
def test_api_activities(client, strategy, params, raw):
    if raw is None:
        response = client.get("/api/activities/", params)
    else:
        response = client.get("/api/activities/?" + raw)
    ok(response)
    assert response.status_code in (200, 400, 404)
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert ("results" in body) if response.status_code == 200 else ("detail" in body)


@fuzz
@given(
    path=st.sampled_from(
        ["strategy/", "partners/", "organisations/", "programmes/", "openapi.json", "activities/"]
    ),
    raw=raw_queries,
    method=st.sampled_from(["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"]),
)
def test_api_other_endpoints(client, strategy, path, raw, method):
    before = rows()
    response = client.generic(method, f"/api/{path}?{raw}")
    ok(response)
    assert response.status_code in (200, 400, 404, 405)
    assert changed(before) == {}


@pytest.mark.parametrize(
    "path",
    [
        "/prioriteringer/medlemsorganisasjoner/1/",
        "/partnere/kaunas/",
        "/partnere/organisasjoner/cpmr-north-sea-commission/",
        "/partnere/kaunas/brief/",
    ],
)
@fuzz
@given(params=query({"year": years, "page": pages}), raw=st.one_of(st.none(), raw_queries))
def test_commitment_and_partner_pages(client, strategy, path, params, raw):
    response = client.get(path, params) if raw is None else client.get(f"{path}?{raw}")
    ok(response)
    assert response.status_code in (200, 400)


@fuzz
@given(
    template=st.sampled_from(
        [
            "/",
            "/prioriteringer/{slug}/",
            "/prioriteringer/{slug}/{n}/",
            "/prioriteringer/{slug}/{n}/feed/",
            "/partnere/{slug}/",
            "/partnere/organisasjoner/{slug}/",
            "/partnere/{slug}/brief/",
            "/partnere/organisasjoner/{slug}/brief/",
            "/partnere/kart/",
            "/aktiviteter/{n}/",
            "/rapport/",
            "/rapport/{n}/",
            "/rapport/{n}/aktiviteter.csv",
            "/rapport/{n}/aktiviteter.xlsx",
            "/feed/",
            "/tilgjengelighetserklaering/",
            "/mitt-arbeid/",
        ]
    ),
    slug=in_url(slugs),
    n=st.one_of(st.integers(0, 2040), st.integers(0, 2**80)),
    raw=raw_queries,
    method=st.sampled_from(["GET", "HEAD", "POST", "OPTIONS", "PUT"]),
    language=st.sampled_from(["", "/nn", "/en"]),
)
def test_public_paths(client, strategy, template, slug, n, raw, method, language):
    """Report years, commitment numbers and ids of any size, unknown slugs, any method."""
    path = language + template.format(slug=quote(slug), n=n)
    before = rows()
    response = client.generic(method, f"{path}?{raw}")
    ok(response)
    assert changed(before) == {}


# --- The import ------------------------------------------------------------------------------

IMPORT_CELLS = {
    "id": st.one_of(st.just(""), ids),
    "commitment": st.one_of(st.sampled_from(["1.1", "4.3", "9.9", ""]), text),
    "title": text,
    "kind": choice,
    "start_date": dates,
    "end_date": dates,
    "place": text,
    "country": st.one_of(st.just("NO"), text),
    "description": text,
    "outcome": text,
    "partners": st.one_of(st.sampled_from(["kaunas", "kaunas, hubei", "nowhere"]), text),
    "organisations": st.one_of(st.sampled_from(["errin", "x"]), text),
    "programme": st.one_of(st.sampled_from(["horizon-europe", "x"]), text),
    "url": links,
    "public": st.one_of(st.sampled_from(["yes", "no", "ja", "nei", "kanskje"]), text),
}
VALID_ROW = {
    "id": "",
    "commitment": "1.1",
    "title": "Importert møte",
    "kind": "meeting",
    "start_date": "2025-05-01",
    "end_date": "",
    "place": "Skien",
    "country": "NO",
    "description": "",
    "outcome": "",
    "partners": "kaunas",
    "organisations": "",
    "programme": "",
    "url": "",
    "public": "yes",
}
table_rows = st.lists(
    form_data(VALID_ROW, IMPORT_CELLS).map(
        lambda row: [row.get(name, "") for name in exchange.HEADER]
    ),
    min_size=0,
    max_size=6,
)
header = st.one_of(
    st.just(exchange.HEADER),
    st.just(exchange.HEADER[::-1]),
    st.lists(text, max_size=17),
)


def csv_file(head, body, delimiter, encoding) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    for row in [head, *body]:
        writer.writerow(row)
    return out.getvalue().encode(encoding, errors="replace")


def xlsx_file(head, body) -> bytes:
    # What a spreadsheet program can write: no control characters in cells.
    workbook = Workbook()
    sheet = workbook.active
    for row in [head, *body]:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", cell)[:32767] for cell in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


upload = st.one_of(
    st.tuples(
        st.sampled_from(["aktiviteter.csv", "A.CSV", "x.txt", "noname", "../../etc/x.csv"]),
        st.binary(max_size=2000),
    ),
    st.tuples(
        st.just("aktiviteter.csv"),
        st.builds(
            csv_file,
            header,
            table_rows,
            st.sampled_from([";", ","]),
            st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16"]),
        ),
    ),
    st.tuples(st.just("aktiviteter.xlsx"), st.builds(xlsx_file, header, table_rows)),
    st.tuples(st.just("stor.csv"), st.just(b"x" * (exchange.MAX_UPLOAD_BYTES + 1))),
)


@fuzz
@given(file=upload, digest=st.one_of(st.none(), text))
def test_import(editor_client, strategy, file, digest):
    name, content = file
    before = rows()
    response = editor_client.post(
        url("priorities:import"), {"file": SimpleUploadedFile(name, content)}
    )
    ok(response)
    assert response.status_code in (200, 400, 413, 422)
    # The dry run saves nothing.
    assert changed(before) == {}

    pending = editor_client.session.get("activity_import")
    if digest is not None or pending is None:
        # A confirmation that does not match the dry run is refused and saves nothing.
        response = editor_client.post(
            url("priorities:import"), {"action": "confirm", "digest": digest or ""}
        )
        ok(response)
        assert response.status_code == 409
        assert changed(before) == {}
        return
    response = editor_client.post(
        url("priorities:import"), {"action": "confirm", "digest": pending["digest"]}
    )
    ok(response)
    assert response.status_code == 302
    created = sum(1 for _number, cells in pending["table"] if not cells[0].strip())
    assert rows()["priorities_activity"] == before["priorities_activity"] + created


# --- The admin -------------------------------------------------------------------------------


@fuzz
@given(
    params=query(
        {
            "q": text,
            "o": st.one_of(st.sampled_from(["1", "-2.3", "99", "x"]), text),
            "p": pages,
            "kind__exact": choice,
            "is_public__exact": checkbox,
            "commitment__priority__id__exact": ids,
            "all": text,
            "_popup": text,
            "_to_field": text,
        }
    ),
    model=st.sampled_from(
        ["priorities/activity", "priorities/statusupdate", "partners/bilateralpartner", "auth/user"]
    ),
)
def test_admin_lists(admin_client, strategy, params, model):
    before = rows()
    response = admin_client.get(f"/admin/{model}/", params)
    ok(response)
    assert response.status_code in (200, 302, 400)
    assert changed(before) == {}


@pytest.mark.parametrize(
    "query",
    ["q=%00", "kind__exact=%00", "q=a%00b&kind__exact=meeting", "o=%00", "ip_address=%00"],
)
@pytest.mark.parametrize(
    "path", ["/admin/priorities/activity/", "/en/admin/axes/accessattempt/", "/admin/auth/user/"]
)
def test_nul_bytes_in_admin_queries_are_a_400(admin_client, strategy, path, query):
    # PostgreSQL cannot compare text with a NUL byte: the admin's search and filters were a 500.
    assert admin_client.get(f"{path}?{query}").status_code == 400
    assert admin_client.get(f"{path}?q=ok").status_code == 200


@pytest.mark.parametrize(
    "path, query",
    [
        ("/admin/axes/accessattempt/", "ip_address=abc"),
        ("/admin/axes/accessfailurelog/", "ip_address__gte=not-an-address"),
        ("/en/admin/axes/accesslog/", "ip_address=1.2.3"),
        ("/admin/axes/accessattempt/", "ip_address__in=192.0.2.1,abc"),
    ],
)
def test_admin_filters_the_database_cannot_read_are_a_400(admin_client, strategy, path, query):
    # psycopg refuses "abc" for an address column (inet on PostgreSQL): that was a 500.
    # Refused on SQLite too, where the column is text and would simply have found nothing.
    response = admin_client.get(f"{path}?{query}")
    assert response.status_code == 400
    assert b"The request could not be read" in response.content
    assert admin_client.get(path).status_code == 200
    assert admin_client.get(f"{path}?ip_address=192.0.2.1").status_code == 200


def admin_form_values(client, path: str) -> dict[str, list[str]]:
    """What a browser would send for the admin's change form: every named input, select and
    textarea of <form id="..._form">, as they stand (inline rows and their management forms
    included)."""
    html = client.get(path).content.decode()
    return form_fields(html, lambda form_id: form_id.endswith("_form"))


def admin_value(model, name: str):
    """Generated input fitting the model field behind a form field's name (a translation's
    field, an inline row's field and a split date/time's halves included)."""
    base = re.sub(r"^.*-\d+-", "", re.sub(r"_[01]$", "", name))
    try:
        field = model._meta.get_field(base)
    except FieldDoesNotExist:
        return short_text.map(lambda v: [v])
    if field.many_to_many:
        return id_lists
    if field.is_relation:
        single = ids
    elif isinstance(field, models.URLField):
        single = links
    elif isinstance(field, models.DateField):  # DateTimeField too: the admin splits it
        single = dates
    elif isinstance(field, models.IntegerField):
        single = st.one_of(number.map(str), short_text)
    elif isinstance(field, models.BooleanField):
        single = checkbox
    elif field.choices:
        single = st.one_of(st.sampled_from([str(value) for value, _ in field.flatchoices]), text)
    else:
        single = text
    return single.map(lambda v: [v])


ADMIN_FORMS = [
    "priorities.activity",
    "priorities.statusupdate",
    "priorities.commitment",
    "priorities.priority",
    "priorities.strategy",
    "partners.bilateralpartner",
    "partners.organisation",
    "partners.programme",
    "auth.user",
]


def admin_form_fields(model, user) -> list[str]:
    """The names of the admin form's own fields: the same for every example, whatever earlier
    examples saved (hypothesis must draw the same way each time)."""
    request = RequestFactory().get("/")
    request.user = user
    return sorted(admin.site._registry[model].get_form(request).base_fields)


@pytest.mark.parametrize("action", ["change", "add"])
@pytest.mark.parametrize("label", ADMIN_FORMS)
@fuzz
@given(data=st.data())
def test_admin_forms(admin_client, admin_user, staff_user, strategy, label, action, data):
    # The change form's own values, as the browser would send them, with a few fields replaced
    # by generated input (posted to the add form too: a copy of a real object, mostly valid).
    model = apps.get_model(label)
    info = (model._meta.app_label, model._meta.model_name)
    # The newest: for users, the staff user (the admin changing their own account could lock
    # themselves out of the test).
    obj = model.objects.order_by("-pk").first() or make_activity(get_commitment())
    change = reverse(f"admin:{info[0]}_{info[1]}_change", args=[obj.pk])
    values = admin_form_values(admin_client, change)
    fields = admin_form_fields(model, admin_user)
    for name in data.draw(st.sets(st.sampled_from(fields), max_size=4), label="fields"):
        drawn = data.draw(admin_value(model, name), label=name)
        # The admin splits a date and time into two inputs.
        values[f"{name}_0" if f"{name}_0" in values else name] = drawn
    path = reverse(f"admin:{info[0]}_{info[1]}_add") if action == "add" else change
    before = rows()
    response = admin_client.post(path, values)
    ok(response)
    if response.status_code != 302:  # refused: the form again under a 422, nothing saved
        assert response.status_code in (400, 422)
        assert changed(before) == {}


# --- The project register --------------------------------------------------------------------

money = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["-1", "0", "1e20", "99999999999999.99", "1,5", "NaN", "-0", "0.0001"]),
    number.map(str),
    text,
)
PROJECT_FIELDS = {
    "name": text,
    "acronym": text,
    "programme": ids,
    "call": text,
    "role": st.one_of(st.sampled_from(["lead_partner", "partner", "associated"]), text),
    "state": st.one_of(st.sampled_from(["idea", "granted", "rejected", "closed"]), text),
    "start_date": dates,
    "end_date": dates,
    "applied_on": dates,
    "decided_on": dates,
    "total_budget_eur": money,
    "county_share_eur": money,
    "eur_nok_rate": money,
    "rate_date": dates,
    "partners": id_lists,
    "organisations": id_lists,
    "commitments": id_lists,
    "other_partners": text,
    "description": text,
    "website": links,
    "county": ids,
    "is_public": checkbox,
}
VALID_PROJECT = {
    "name": "Kystlinjer og klima",
    "role": "partner",
    "state": "granted",
    "start_date": "2025-03-01",
    "end_date": "2026-03-01",
    "total_budget_eur": "1000",
    "county_share_eur": "500",
    "eur_nok_rate": "11.5",
    "rate_date": "2025-01-02",
    "is_public": "on",
}


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@fuzz
@given(data=form_data(VALID_PROJECT, PROJECT_FIELDS))
def test_register_project(staff_client, strategy, htmx, data):
    from projects.models import Project

    before = Project.objects.count()
    response = staff_client.post("/prosjekter/ny/", data, **(HX if htmx else {}))
    ok(response)
    if response.status_code == (200 if htmx else 303):
        assert Project.objects.count() == before + 1
    else:
        assert response.status_code == 422
        assert Project.objects.count() == before


PROJECT_FILTERS = {
    "programme": st.one_of(st.sampled_from(["other", "erasmus-plus"]), slugs),
    "state": st.one_of(st.sampled_from(["granted", "idea"]), text),
    "role": st.one_of(st.sampled_from(["partner"]), text),
    "year": years,
    "partner": slugs,
    "organisation": slugs,
}


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@fuzz
@given(params=query(PROJECT_FILTERS), raw=st.one_of(st.none(), raw_queries))
def test_project_list(client, strategy, htmx, params, raw):
    path = "/prosjekter/" + (f"?{raw}" if raw is not None else "")
    response = client.get(path, None if raw is not None else params, **(HX if htmx else {}))
    ok(response)
    assert response.status_code in (200, 400)
