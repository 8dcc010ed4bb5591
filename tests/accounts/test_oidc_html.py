"""The county sign-in's pages pass the Nu HTML checker: the login page with the county's
account offered, and each refusal page."""

import pytest

from tests.accounts.conftest import configure_provider, sign_in
from tests.test_valid_html import run_vnu
from tests.test_valid_html import vnu as vnu  # the checker, or a skip with the reason

pytestmark = [pytest.mark.vnu, pytest.mark.django_db]


def test_the_login_and_refusal_pages_are_valid_html(
    vnu, client, settings, oidc_settings, oidc_provider, tmp_path
):
    oidc_settings.LOCAL_PASSWORDS = False
    pages = {"login": client.get("/nn/accounts/login/")}
    oidc_provider.set_user("html-outsider", groups=["other"])
    pages["no_role"] = sign_in(client, oidc_provider, "html-outsider")
    pages["failed"] = client.get("/oidc/callback/?code=x&state=y")
    configure_provider(settings, "http://127.0.0.1:9")
    pages["unavailable"] = client.get("/en/accounts/oidc/")
    assert [response.status_code for response in pages.values()] == [200, 403, 400, 503]
    for name, response in pages.items():
        (tmp_path / f"{name}.html").write_bytes(response.content)

    errors = [m for m in run_vnu(vnu, tmp_path) if m.get("type") == "error"]
    assert errors == []
