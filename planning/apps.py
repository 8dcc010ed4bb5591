from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "planning"
    verbose_name = _("Action plan")

    def ready(self) -> None:
        from priorities.demo import demo_loaded

        from .demo import example_plan

        # load_demo (in priorities, which never imports this app) asks for the plan this way.
        demo_loaded.connect(example_plan, dispatch_uid="planning_example_plan")
