from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Staff sign-in: passwords, and the county's own accounts through OpenID Connect."""

    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deploy checks)
