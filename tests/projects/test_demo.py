"""load_demo adds invented example projects, marked as examples."""

import io

from django.core.management import call_command
from django.test import Client

from projects.models import Project


def test_load_demo_adds_example_projects(strategy, settings):
    settings.DEBUG = True
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    projects = Project.objects.all()
    assert "example projects" in out.getvalue()
    assert projects.count() >= 6
    assert not projects.filter(is_example=False).exists()
    assert projects.filter(is_public=False).exists()
    assert len({p.state for p in projects}) == 6  # every state
    for project in projects:
        project.full_clean()
    assert Project.objects.public().funding_by_year_and_programme()
    assert Project.objects.public().success_rate()["decided"] >= 3

    html = Client().get("/prosjekter/").text
    assert html.count('badge--example">Eksempel') == projects.public().count()
    assert "Demonstrasjon: eksempeldata" in html

    call_command("load_demo", stdout=io.StringIO())
    assert Project.objects.count() == projects.count()
