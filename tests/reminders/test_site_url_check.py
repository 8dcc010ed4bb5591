"""The deploy check for SITE_URL, which the links in e-mails are built from."""

import pytest

from reminders.checks import check_site_url


@pytest.mark.parametrize("url", ["", "http://strategi.example.no", "strategi.example.no"])
def test_a_missing_or_plain_http_site_url_is_a_deploy_warning(settings, url):
    settings.SITE_URL = url

    assert [problem.id for problem in check_site_url()] == ["reminders.W001"]


def test_an_https_site_url_passes(settings):
    settings.SITE_URL = "https://strategi.example.no"

    assert check_site_url() == []
