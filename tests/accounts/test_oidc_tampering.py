"""Tampering with the sign-in is refused with a clear page and no session.

A wrong state and a replayed code against the real provider (oidc-provider-mock); ID tokens
it would never issue (another audience or issuer, expired, signed with a key it does not
publish) come from a small provider of our own: real RS256 tokens signed with joserfc, a
real JWKS, served over HTTP on 127.0.0.1. Nothing of the portal's or the library's
verification is replaced.
"""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth.models import User
from joserfc import jwt
from joserfc.jwk import KeySet, OctKey, RSAKey

from accounts.models import ExternalIdentity
from tests.accounts.conftest import (
    CLIENT_ID,
    CLIENT_SECRET,
    STAFF_GROUPS,
    configure_provider,
    start_sign_in,
)

pytestmark = pytest.mark.django_db

KID = "county-key-1"


class JoseProvider:
    """Discovery, JWKS and a token endpoint that answers with the ID token a test made."""

    def __init__(self):
        self.key = RSAKey.generate_key(2048, parameters={"kid": KID, "alg": "RS256"})
        self.next_id_token = ""
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                if self.path == "/.well-known/openid-configuration":
                    self.answer(
                        {
                            "issuer": provider.url,
                            "authorization_endpoint": f"{provider.url}/authorize",
                            "token_endpoint": f"{provider.url}/token",
                            "jwks_uri": f"{provider.url}/jwks",
                            "id_token_signing_alg_values_supported": ["RS256"],
                        }
                    )
                elif self.path == "/jwks":
                    self.answer(KeySet([provider.key]).as_dict(private=False))
                else:
                    self.send_error(404)

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if self.path != "/token":
                    return self.send_error(404)
                self.answer(
                    {
                        "access_token": "access-token",
                        "token_type": "Bearer",
                        "expires_in": 3600,
                        "id_token": provider.next_id_token,
                    }
                )

            def answer(self, body: dict):
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"

    def id_token(self, sent_nonce: str, *, key=None, header=None, **changes) -> str:
        now = int(time.time())
        claims = {
            "iss": self.url,
            "sub": "sub-jose",
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": sent_nonce,
            "name": "Siri Signert",
            "groups": STAFF_GROUPS,
            **changes,
        }
        return jwt.encode(header or {"alg": "RS256", "kid": KID}, claims, key or self.key)


@pytest.fixture(scope="module")
def jose_provider():
    provider = JoseProvider()
    thread = threading.Thread(target=provider.server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    yield provider
    provider.server.shutdown()
    thread.join(5)
    provider.server.server_close()


@pytest.fixture
def jose_settings(settings, jose_provider):
    configure_provider(settings, jose_provider.url)


def callback_with(client, jose_provider, **token_changes):
    """One sign-in whose ID token is the one made here, with the state and nonce the portal
    sent: only what `token_changes` alters is wrong."""
    _authorize, query = start_sign_in(client)
    jose_provider.next_id_token = jose_provider.id_token(query["nonce"], **token_changes)
    return client.get("/oidc/callback/", {"code": "a-code", "state": query["state"]})


def assert_refused(client, response):
    assert response.status_code == 400
    assert "Innloggingen ble ikke fullført" in response.text
    assert "_auth_user_id" not in client.session
    assert not User.objects.exists()
    assert not ExternalIdentity.objects.exists()


def test_the_untampered_token_signs_in(client, jose_settings, jose_provider):
    """The control: the same provider and token, unaltered, are accepted."""
    response = callback_with(client, jose_provider)
    assert response.status_code == 302
    assert client.session["_auth_user_id"]
    assert ExternalIdentity.objects.get().subject == "sub-jose"


def test_an_id_token_for_another_audience_is_refused(client, jose_settings, jose_provider):
    assert_refused(client, callback_with(client, jose_provider, aud="another-application"))


def test_an_id_token_from_another_issuer_is_refused(client, jose_settings, jose_provider):
    response = callback_with(client, jose_provider, iss="https://login.other.example/v2.0")
    assert_refused(client, response)


def test_an_expired_id_token_is_refused(client, jose_settings, jose_provider):
    an_hour_ago = int(time.time()) - 3600
    response = callback_with(client, jose_provider, iat=an_hour_ago - 300, exp=an_hour_ago)
    assert_refused(client, response)


def test_an_id_token_signed_with_an_unknown_key_is_refused(client, jose_settings, jose_provider):
    forger = RSAKey.generate_key(2048, parameters={"kid": KID})
    assert_refused(client, callback_with(client, jose_provider, key=forger))


def test_an_id_token_with_an_unknown_key_id_is_refused(client, jose_settings, jose_provider):
    forger = RSAKey.generate_key(2048, parameters={"kid": "not-published"})
    header = {"alg": "RS256", "kid": "not-published"}
    assert_refused(client, callback_with(client, jose_provider, key=forger, header=header))


def test_an_id_token_signed_with_the_client_secret_is_refused(client, jose_settings, jose_provider):
    """HS256 with the shared secret: the algorithm the provider never signs with."""
    secret = OctKey.import_key(CLIENT_SECRET * 4)
    header = {"alg": "HS256", "kid": KID}
    assert_refused(client, callback_with(client, jose_provider, key=secret, header=header))


def test_an_id_token_with_another_nonce_is_refused(client, jose_settings, jose_provider):
    assert_refused(client, callback_with(client, jose_provider, nonce="replayed-from-elsewhere"))


def test_a_token_that_is_no_jwt_is_refused(client, jose_settings, jose_provider):
    _authorize, query = start_sign_in(client)
    jose_provider.next_id_token = "not.a.token"
    response = client.get("/oidc/callback/", {"code": "a-code", "state": query["state"]})
    assert_refused(client, response)


# --- Against the real provider --------------------------------------------------------------


def test_a_wrong_state_is_refused(client, oidc_settings, oidc_provider):
    oidc_provider.set_user("sub-state", groups=STAFF_GROUPS)
    authorize_url, _query = start_sign_in(client)
    callback = oidc_provider.approve(authorize_url, "sub-state")
    tampered = callback.replace("state=", "state=x")

    assert_refused(client, client.get(tampered))


def test_a_callback_without_a_sign_in_begun_here_is_refused(client, oidc_settings, oidc_provider):
    """The code and state of a sign-in begun in another browser (login CSRF)."""
    oidc_provider.set_user("sub-csrf", groups=STAFF_GROUPS)
    other_browser = type(client)()
    authorize_url, _query = start_sign_in(other_browser)
    callback = oidc_provider.approve(authorize_url, "sub-csrf")

    assert_refused(client, client.get(callback))


def test_a_replayed_callback_is_refused(client, oidc_settings, oidc_provider):
    oidc_provider.set_user("sub-replay", groups=STAFF_GROUPS)
    authorize_url, _query = start_sign_in(client)
    callback = oidc_provider.approve(authorize_url, "sub-replay")
    assert client.get(callback).status_code == 302
    client.logout()
    User.objects.all().delete()

    assert_refused(client, client.get(callback))


def test_a_used_code_under_a_fresh_state_is_refused(client, oidc_settings, oidc_provider):
    """The provider gives a code once: replayed with the state of a new sign-in, its token
    endpoint refuses it."""
    oidc_provider.set_user("sub-code", groups=STAFF_GROUPS)
    authorize_url, _query = start_sign_in(client)
    callback = oidc_provider.approve(authorize_url, "sub-code")
    assert client.get(callback).status_code == 302
    client.logout()
    User.objects.all().delete()
    code = callback.split("code=", 1)[1].split("&", 1)[0]
    _authorize, fresh = start_sign_in(client)

    assert_refused(client, client.get("/oidc/callback/", {"code": code, "state": fresh["state"]}))


def test_a_cancelled_sign_in_is_refused(client, oidc_settings, oidc_provider):
    _authorize, query = start_sign_in(client)
    response = client.get("/oidc/callback/", {"error": "access_denied", "state": query["state"]})
    assert_refused(client, response)
