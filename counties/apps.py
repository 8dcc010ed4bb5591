from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CountiesConfig(AppConfig):
    """The county authorities (fylkeskommuner): who adopted a strategy, who runs the portal."""

    name = "counties"
    verbose_name = _("Counties")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the deploy check)
