"""The provider's settings from the environment, and the deploy check on them."""

import os
import subprocess
import sys
from pathlib import Path

from accounts.checks import check_oidc

ROOT = Path(__file__).resolve().parents[2]
ENTRA = "https://login.microsoftonline.com/00000000-0000-0000-0000-000000000000/v2.0"


def production_settings(**environment) -> list[str]:
    """Selected settings as a production process reads them from `environment`."""
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.OIDC_ENABLED, s.OIDC_RP_SCOPES, s.OIDC_GROUPS_CLAIM, s.OIDC_GROUPS_STAFF, "
        "' '.join(map(str, s.SECURE_CSP['form-action'])), sep='|')"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "strategy_portal.settings",
        "SECRET_KEY": "tests-only",
        **environment,
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()[-1].split("|")


def test_the_provider_is_configured_from_the_environment():
    enabled, scopes, claim, staff_groups, form_action = production_settings(
        OIDC_ISSUER=ENTRA,
        OIDC_CLIENT_ID="11111111-2222-3333-4444-555555555555",
        OIDC_CLIENT_SECRET="secret",
        OIDC_GROUPS_CLAIM="roles",
        OIDC_GROUPS_STAFF="Saksbehandler, Rådgiver",
    )
    assert enabled == "True"
    assert scopes == "openid profile email"
    assert claim == "roles"
    assert staff_groups == "['Saksbehandler', 'Rådgiver']"
    # Sign-out's form is answered with a redirect to the provider: form-action allows it.
    assert form_action == "'self' https://login.microsoftonline.com"


def test_without_an_issuer_nothing_changes():
    enabled, _scopes, _claim, _groups, form_action = production_settings(
        OIDC_ISSUER="", OIDC_CLIENT_ID=""
    )
    assert enabled == "False"
    assert form_action == "'self'"


def configured(settings, issuer=ENTRA):
    settings.OIDC_ISSUER = issuer
    settings.OIDC_DISCOVERY_URL = ""
    settings.OIDC_RP_CLIENT_ID = "client"
    settings.OIDC_ENABLED = True
    settings.SECURE_SSL_REDIRECT = True
    settings.LOCAL_PASSWORDS = True


def ids(settings) -> list[str]:
    return [problem.id for problem in check_oidc()]


def test_the_deploy_check_is_quiet_for_an_https_set_up(settings):
    configured(settings)
    assert ids(settings) == []


def test_the_deploy_check_warns_of_redirect_uris_without_https(settings):
    configured(settings)
    settings.SECURE_SSL_REDIRECT = False
    [problem] = check_oidc()
    assert problem.id == "accounts.W001"
    assert "redirect URIs" in problem.msg


def test_the_deploy_check_warns_of_a_provider_without_https(settings):
    configured(settings, issuer="http://login.fylke.example")
    assert ids(settings) == ["accounts.W002", "accounts.W002"]


def test_the_deploy_check_warns_when_nobody_could_sign_in_with_the_provider_down(settings):
    configured(settings)
    settings.LOCAL_PASSWORDS = False
    settings.BREAK_GLASS_USERNAME = ""
    assert ids(settings) == ["accounts.W003"]


def test_without_a_provider_the_deploy_check_has_nothing_to_say(settings):
    settings.OIDC_ENABLED = False
    settings.SECURE_SSL_REDIRECT = False
    assert ids(settings) == []


def test_manage_py_check_deploy_fails_on_http_redirect_uris():
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "tests-only-" + "x" * 50,
        "ALLOWED_HOSTS": "strategi.example.no",
        "SECURE_HTTPS": "0",
        "OIDC_ISSUER": ENTRA,
        "OIDC_CLIENT_ID": "client",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "accounts.W001" in result.stderr + result.stdout
