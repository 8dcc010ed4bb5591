import pytest

from tests.reminders.smtp import Inbox, start

SITE_URL = "https://strategi.example.no"


@pytest.fixture
def smtp(settings):
    """Sending through Django's SMTP backend to a real SMTP server started for the test."""
    inbox = Inbox()
    controller = start(inbox)
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": controller.port, "timeout": 10},
        }
    }
    settings.SITE_URL = SITE_URL
    yield inbox
    controller.stop()
