from django.apps import AppConfig
from django.db.backends.signals import connection_created


class PortalConfig(AppConfig):
    """The project itself: connects what spans both apps."""

    name = "strategy_portal"
    verbose_name = "Strategiportalen"

    def ready(self) -> None:
        from .cache import install_write_watch

        # Every connection, in web workers and management commands alike (imports, shell).
        connection_created.connect(install_write_watch, dispatch_uid="page_cache_write_watch")
