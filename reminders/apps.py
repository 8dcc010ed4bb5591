from django.apps import AppConfig


class RemindersConfig(AppConfig):
    """E-mail: the daily reminders (manage.py send_reminders) and the e-mails a request
    triggers (an entry returned or approved), sent as django.tasks tasks."""

    name = "reminders"
    verbose_name = "Reminders"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deploy check)
