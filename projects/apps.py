from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projects and funding")

    def ready(self) -> None:
        from priorities.demo import demo_loaded
        from priorities.openapi import register_paths

        from .api import OPENAPI_PATHS, OPENAPI_SCHEMAS
        from .demo import example_projects

        # load_demo and the API document live in priorities, which never imports this app:
        # they ask for the projects' examples and paths this way.
        demo_loaded.connect(example_projects, dispatch_uid="projects_example_projects")
        register_paths(OPENAPI_PATHS, OPENAPI_SCHEMAS)
