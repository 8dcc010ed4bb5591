"""Plain helpers shared by the project register's tests."""

from projects.models import Project
from tests.priorities.workspace_helpers import HX  # noqa: F401


def project_data(**overrides) -> dict:
    """A valid POST for the project form (a public, granted Interreg ØKS project)."""
    from partners.models import Programme

    data = {
        "name": "Kystlinjer og klima",
        "acronym": "KYST",
        "programme": Programme.objects.get(slug="interreg-oks").pk,
        "call": "Utlysning 4",
        "role": "lead_partner",
        "state": "granted",
        "start_date": "2025-03-01",
        "end_date": "2027-02-28",
        "applied_on": "2024-10-01",
        "decided_on": "2025-01-15",
        "total_budget_eur": "1500000",
        "county_share_eur": "300000",
        "eur_nok_rate": "11.75",
        "rate_date": "2025-01-15",
        "other_partners": "Aarhus universitet",
        "description": "Klimatilpasning langs kysten.",
        "website": "https://example.org/kyst",
        "is_public": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def edit_data(project: Project, **overrides) -> dict:
    def text(value) -> str:
        return "" if value is None else str(value)

    data = project_data(
        name=project.name,
        acronym=project.acronym,
        programme=project.programme_id or "",
        call=project.call,
        role=project.role,
        state=project.state,
        start_date=text(project.start_date),
        end_date=text(project.end_date),
        applied_on=text(project.applied_on),
        decided_on=text(project.decided_on),
        total_budget_eur=text(project.total_budget_eur),
        county_share_eur=text(project.county_share_eur),
        eur_nok_rate=text(project.eur_nok_rate),
        rate_date=text(project.rate_date),
        other_partners=project.other_partners,
        description=project.description,
        website=project.website,
        is_public="on" if project.is_public else None,
        version=project.updated_at.isoformat(),
    )
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def snapshot() -> list:
    """Every project as stored, to show that a refused request changed nothing."""
    return list(Project.objects.order_by("pk").values())
