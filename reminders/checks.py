from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def check_site_url(app_configs=None, **kwargs) -> list:
    """E-mails link to the portal: without SITE_URL their links cannot be built."""
    url = urlsplit(settings.SITE_URL)
    if url.scheme == "https" and url.netloc:
        return []
    return [
        Warning(
            f"SITE_URL is not the portal's https:// address: {settings.SITE_URL!r}",
            hint="Set SITE_URL, e.g. https://strategi.example.no (README, 'Configuration'): "
            "the links in reminder e-mails are built from it.",
            id="reminders.W001",
        )
    ]
