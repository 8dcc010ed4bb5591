"""Sign-in with the county's own accounts: OpenID Connect through mozilla-django-oidc.

The library runs the authorisation code flow (state, nonce and PKCE kept in the session,
the code exchanged at the token endpoint, the ID token's signature checked against the
provider's JWKS). What it leaves to the site is here: the provider's endpoints from its
discovery document, the ID token's issuer and audience (it checks neither), and who the user
is (by subject, not by e-mail) and which roles the provider's groups give.
"""

import logging
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from django.shortcuts import resolve_url
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from priorities.roles import EDITOR_GROUP, STAFF_GROUP

from .models import ADMIN_ROLE, ExternalIdentity

logger = logging.getLogger(__name__)

# The ID token is checked with this much leeway for the two clocks (exp, iat, nbf).
CLOCK_LEEWAY_SECONDS = 60


class ProviderUnavailable(Exception):
    """The provider's discovery document could not be read, or does not match the settings."""


def discovery_url() -> str:
    return settings.OIDC_DISCOVERY_URL or (
        settings.OIDC_ISSUER.rstrip("/") + "/.well-known/openid-configuration"
    )


_metadata: dict[str, dict] = {}


def provider_metadata() -> dict:
    """The provider's discovery document, read once per process."""
    url = discovery_url()
    if url not in _metadata:
        try:
            response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
            response.raise_for_status()
            metadata = response.json()
        except (requests.RequestException, ValueError) as error:
            raise ProviderUnavailable(f"{url}: {error}") from error
        if not isinstance(metadata, dict) or metadata.get("issuer") != settings.OIDC_ISSUER:
            # OpenID Connect Discovery 1.0, 4.3: the issuer must be the one configured.
            raise ProviderUnavailable(f"{url} names another issuer than OIDC_ISSUER")
        _metadata[url] = metadata
    return _metadata[url]


def roles_from_claims(claims: dict) -> set[str]:
    """The portal roles the provider's groups give (settings OIDC_GROUPS_STAFF, _EDITOR and
    _ADMIN, matched without regard to case: Entra ID's group ids are GUIDs)."""
    groups = claims.get(settings.OIDC_GROUPS_CLAIM) or []
    if isinstance(groups, str):
        groups = [groups]
    held = {group.casefold() for group in groups if isinstance(group, str)}
    mapping = {
        STAFF_GROUP: settings.OIDC_GROUPS_STAFF,
        EDITOR_GROUP: settings.OIDC_GROUPS_EDITOR,
        ADMIN_ROLE: settings.OIDC_GROUPS_ADMIN,
    }
    return {
        role
        for role, provider_groups in mapping.items()
        if held & {group.casefold() for group in provider_groups}
    }


class ProviderBackend(OIDCAuthenticationBackend):
    """The authentication backend for the provider's callback (accounts.views.oidc_callback).

    Listed in AUTHENTICATION_BACKENDS whether a provider is configured or not: it answers
    only the callback (which passes a nonce), so the password form never reaches it.
    """

    def __init__(self, *args, **kwargs):
        # The library reads the endpoints from settings here; ours come from the discovery
        # document, read in authenticate() and only when a provider is configured.
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        if not (settings.OIDC_ENABLED and request is not None and "nonce" in kwargs):
            return None
        metadata = provider_metadata()
        # A document without them fails at the request (a RequestException): "unavailable".
        self.OIDC_OP_TOKEN_ENDPOINT = metadata.get("token_endpoint")
        self.OIDC_OP_JWKS_ENDPOINT = metadata.get("jwks_uri")
        self.OIDC_OP_USER_ENDPOINT = metadata.get("userinfo_endpoint")
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        # A token the JOSE library cannot even read (no kid, not a JWT) is refused like a
        # forged one, not left to become a 500.
        try:
            return super().verify_token(token, **kwargs)
        except (jwt.PyJWTError, KeyError, TypeError, ValueError) as error:
            raise SuspiciousOperation(f"ID token refused: {error!r}") from error

    def _verify_jws(self, payload, key):
        # The library turns PyJWT's audience check off and has no issuer check: PyJWT does
        # both here, with the signature and expiry, for the one algorithm configured.
        try:
            return jwt.decode(
                payload,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_ISSUER,
                leeway=CLOCK_LEEWAY_SECONDS,
                options={"require": ["iss", "aud", "exp", "iat", "sub"]},
            )
        except jwt.PyJWTError as error:
            raise SuspiciousOperation(f"ID token refused: {error}") from error

    def get_userinfo(self, access_token, id_token, payload):
        # The verified ID token's claims: Entra ID puts the groups there, not in its
        # userinfo answer (which is Microsoft Graph's).
        return payload

    def verify_claims(self, claims):
        return bool(claims.get("sub"))

    def get_or_create_user(self, access_token, id_token, payload):
        # NoPortalRole is not a SuspiciousOperation: the library lets it through to the view.
        return ExternalIdentity.sign_in(payload, roles_from_claims(payload))


def provider_logout_url(request: HttpRequest) -> str | None:
    """Where to end the provider's session too (RP-initiated logout), or None: signed in with
    a password, or a provider without an end_session_endpoint. Read before the session ends."""
    id_token = request.session.get("oidc_id_token")
    if not (settings.OIDC_ENABLED and id_token):
        return None
    try:
        endpoint = provider_metadata().get("end_session_endpoint")
    except ProviderUnavailable:
        logger.warning("OIDC provider unavailable at sign-out; the portal's session ends")
        return None
    if not endpoint:
        return None
    query = urlencode(
        {
            "id_token_hint": id_token,
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "post_logout_redirect_uri": request.build_absolute_uri(
                resolve_url(settings.LOGOUT_REDIRECT_URL)
            ),
        }
    )
    return f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"
