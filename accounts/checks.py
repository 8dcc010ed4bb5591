from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def check_oidc(app_configs=None, **kwargs) -> list:
    """With a provider configured: the redirect URIs it is given, and its own addresses, must
    be HTTPS (an authorisation code or ID token over plain HTTP can be read on the way)."""
    if not settings.OIDC_ENABLED:
        return []
    problems = []
    if not settings.SECURE_SSL_REDIRECT:
        # The redirect URIs are built from the request: without the redirect to HTTPS (and
        # the proxy's X-Forwarded-Proto) they would start with http://.
        problems.append(
            Warning(
                "OpenID Connect is configured, but the redirect URIs sent to the provider "
                "are not HTTPS (SECURE_HTTPS is off).",
                hint="Serve the portal over HTTPS (SECURE_HTTPS=1, behind a proxy that sets "
                "X-Forwarded-Proto) and register https:// redirect URIs with the provider.",
                id="accounts.W001",
            )
        )
    from .oidc import discovery_url

    for name, url in (
        ("OIDC_ISSUER", settings.OIDC_ISSUER),
        ("the discovery URL", discovery_url()),
    ):
        if urlsplit(url).scheme != "https":
            problems.append(
                Warning(
                    f"{name} is not an HTTPS address: {url}",
                    hint="Use the provider's https:// issuer (README, 'Sign-in').",
                    id="accounts.W002",
                )
            )
    if not settings.LOCAL_PASSWORDS and not settings.BREAK_GLASS_USERNAME:
        problems.append(
            Warning(
                "Local passwords are off and no break-glass admin is named: nobody can sign in "
                "while the provider is down.",
                hint="Set BREAK_GLASS_USERNAME to a local superuser kept for emergencies.",
                id="accounts.W003",
            )
        )
    return problems
