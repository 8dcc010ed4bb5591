from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reporting rounds")

    def ready(self) -> None:
        from priorities.demo import demo_loaded

        from .demo import example_rounds

        # load_demo (in priorities, which never imports this app) asks for the rounds this way.
        demo_loaded.connect(example_rounds, dispatch_uid="reporting_example_rounds")
