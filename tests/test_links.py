"""Links are http(s) only: the forms, the models (so the admin and the import too) refuse any
other scheme, and the templates make no link of a stored value that is not http(s)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from partners.models import BilateralPartner, Organisation, Programme
from priorities.exchange import HEADER
from priorities.models import Activity, StatusUpdate, Strategy
from tests.factories import get_commitment
from tests.priorities.workspace_helpers import HX, activity_data, make_activity, url

NOT_WEB = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "ftp://example.org/file",
    "ftps://example.org/file",
    "file:///etc/passwd",
    "mailto:someone@example.org",
]
# Every link field, by model: the ones staff type in the workspace and editors in the admin.
LINK_FIELDS = {
    Activity: ["url"],
    StatusUpdate: ["decision_url"],
    Strategy: ["decision_url"],
    BilateralPartner: ["website", "source_url", "agreement_url"],
    Organisation: ["website", "source_url"],
    Programme: ["website"],
}


@pytest.mark.parametrize("link", NOT_WEB)
def test_the_activity_form_refuses_other_schemes(staff_client, strategy, link):
    commitment = get_commitment()
    path = url("priorities:activity_create", commitment.priority.slug, commitment.number)
    response = staff_client.post(path, activity_data(url=link), **HX)
    assert response.status_code == 422
    assert not Activity.objects.exists()


@pytest.mark.parametrize(
    "link", ["https://example.org/a?b=c#d", "http://example.org", "example.org"]
)
def test_the_activity_form_takes_web_links(staff_client, strategy, link):
    commitment = get_commitment()
    path = url("priorities:activity_create", commitment.priority.slug, commitment.number)
    assert staff_client.post(path, activity_data(url=link), **HX).status_code == 200
    assert Activity.objects.get().url.startswith(("https://", "http://"))


@pytest.mark.parametrize(
    ("model", "field"), [(m, f) for m, fields in LINK_FIELDS.items() for f in fields]
)
@pytest.mark.parametrize("link", ["ftp://example.org/file", "ftps://example.org/file"])
def test_every_link_field_refuses_ftp(model, field, link):
    # Django's URLField takes ftp and ftps by default; a browser would offer to open them.
    with pytest.raises(ValidationError) as refused:
        model._meta.get_field(field).clean(link, None)
    assert [error.code for error in refused.value.error_list] == ["invalid"]
    model._meta.get_field(field).clean("https://example.org/", None)


def test_the_admin_refuses_an_ftp_website(admin_client, strategy):
    partner = BilateralPartner.objects.get(slug="kaunas")
    page = f"/en/admin/partners/bilateralpartner/{partner.pk}/change/"
    form = admin_client.get(page).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data = {**{k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items()}}
    data.update(website="ftp://example.org/", _save="Save")
    response = admin_client.post(page, data)
    assert response.status_code == 422
    assert "website" in response.context["adminform"].form.errors
    partner.refresh_from_db()
    assert not partner.website.startswith("ftp:")


def test_the_import_refuses_an_ftp_link(editor_client, strategy):
    row = ["", "1.1", "Møte", "meeting", "2025-03-01", "", "", "", "", "", "", "", "",
           "ftp://example.org/file", "yes"]  # fmt: skip
    text = ";".join(HEADER) + "\n" + ";".join(row) + "\n"
    upload = SimpleUploadedFile("a.csv", text.encode())
    response = editor_client.post("/en/import/", {"file": upload})
    assert response.status_code == 422
    assert not Activity.objects.exists()
    assert "url" in response.text


# --- Stored before this check (or by a script): no link is made of them -----------------------


@pytest.mark.parametrize("link", ["javascript:alert(1)", "ftp://example.org/x", "data:,x"])
def test_pages_make_no_link_of_a_stored_non_web_value(client, strategy, staff_user, link):
    commitment = get_commitment()
    activity = make_activity(commitment, staff_user)
    programme = Programme.objects.first()
    Activity.objects.filter(pk=activity.pk).update(url=link, programme=programme)
    Programme.objects.filter(pk=programme.pk).update(website=link)
    BilateralPartner.objects.filter(slug="kaunas").update(
        website=link, source_url=link, agreement_url=link, agreement="Avtale"
    )
    Organisation.objects.filter(slug="errin").update(website=link, source_url=link)
    Strategy.objects.update(decision_url=link)
    commitment.set_status(
        status="on_track", assessment="Ok", author=None, decision_body="Fylkestinget"
    )
    StatusUpdate.objects.update(decision_url=link)

    for path in (
        activity.get_absolute_url(),
        "/",
        commitment.get_absolute_url(),
        "/partnere/kaunas/",
        "/partnere/organisasjoner/errin/",
    ):
        html = client.get(path).text
        assert f'href="{link}' not in html, path
        assert 'href="javascript' not in html.lower()


def test_pages_link_web_values(client, strategy, staff_user):
    activity = make_activity(get_commitment(), staff_user, url="https://example.org/møte")
    BilateralPartner.objects.filter(slug="kaunas").update(website="https://kaunas.example/")
    assert 'href="https://example.org/møte"' in client.get(activity.get_absolute_url()).text
    assert 'href="https://kaunas.example/"' in client.get("/partnere/kaunas/").text
