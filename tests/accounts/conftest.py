"""A real OpenID Connect provider for the sign-in tests: oidc-provider-mock (authlib behind
Flask) served over HTTP on 127.0.0.1 by werkzeug, in a thread of the test process."""

import threading
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
import werkzeug.serving
from django.utils.csp import CSP
from oidc_provider_mock import app as provider_app

CLIENT_ID = "strategiportalen-test"
CLIENT_SECRET = "not-a-secret"
# The provider's groups that give each portal role (settings OIDC_GROUPS_*).
STAFF_GROUPS = ["portal-saksbehandlere"]
EDITOR_GROUPS = ["portal-redaktorer"]
ADMIN_GROUPS = ["portal-admin"]


class Provider:
    def __init__(self, url: str):
        self.url = url

    def set_user(self, sub: str, **claims) -> None:
        """The person the provider signs in as `sub`, with these claims in the ID token."""
        response = requests.put(f"{self.url}/users/{sub}", json=claims, timeout=5)
        response.raise_for_status()

    def approve(self, authorize_url: str, sub: str) -> str:
        """Submits the provider's sign-in page as `sub`; returns where it sends the browser."""
        response = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=5)
        assert response.status_code == 302, response.text
        return response.headers["Location"]


@pytest.fixture(scope="session")
def oidc_provider():
    server = werkzeug.serving.make_server(
        "127.0.0.1", 0, provider_app(require_nonce=True), threaded=True
    )
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    try:
        yield Provider(f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()


def configure_provider(settings, issuer: str) -> None:
    """The settings an installation sets from its environment (README), for `issuer`."""
    settings.OIDC_ISSUER = issuer
    settings.OIDC_DISCOVERY_URL = ""
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_ENABLED = True
    settings.OIDC_GROUPS_STAFF = STAFF_GROUPS
    settings.OIDC_GROUPS_EDITOR = EDITOR_GROUPS
    settings.OIDC_GROUPS_ADMIN = ADMIN_GROUPS
    # As settings.py adds the issuer's origin when OIDC_ISSUER is set (tests/test_settings.py).
    settings.SECURE_CSP = {**settings.SECURE_CSP, "form-action": [CSP.SELF, issuer]}


@pytest.fixture
def oidc_settings(settings, oidc_provider):
    configure_provider(settings, oidc_provider.url)
    return settings


def start_sign_in(client, path: str = "/accounts/oidc/") -> tuple[str, dict]:
    """The portal's first step: the redirect to the provider, and its query."""
    response = client.get(path)
    assert response.status_code == 302, response.content
    location = response["Location"]
    return location, {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}


def sign_in(client, provider: Provider, sub: str, path: str = "/accounts/oidc/"):
    """The whole flow as a browser goes through it; returns the portal's callback answer."""
    authorize_url, _query = start_sign_in(client, path)
    return client.get(provider.approve(authorize_url, sub))
