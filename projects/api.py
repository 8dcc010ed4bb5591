"""The project register as open data: /api/projects/, public projects only, whoever asks.

Described in the portal's one OpenAPI document (priorities/openapi.py), which this app adds
its path and schemas to (apps.ProjectsConfig.ready).
"""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_safe

from priorities.api import _json, _labels, _page_url, _reverse_nb
from priorities.openapi import DATE, INTEGER, STRING, URI, _nullable, _object, _ref, _response

from .models import Project, Role, State

MONEY = {"type": ["string", "null"], "pattern": r"^[0-9]+(\.[0-9]+)?$"}


def _money(value) -> str | None:
    # Two decimals whatever the database's sum gives (SQLite drops them).
    return None if value is None else f"{value:.2f}"


def _date(value) -> str | None:
    return value.isoformat() if value else None


def project_data(request: HttpRequest, project: Project) -> dict:
    return {
        "slug": project.slug,
        "url": _page_url(request, _reverse_nb("projects:project", project.slug)),
        "name": project.name,
        "acronym": project.acronym,
        "programme": project.programme.slug if project.programme else None,
        "call": project.call,
        "role": project.role,
        "state": project.state,
        "start_date": _date(project.start_date),
        "end_date": _date(project.end_date),
        "applied_on": _date(project.applied_on),
        "decided_on": _date(project.decided_on),
        "total_budget_eur": _money(project.total_budget_eur),
        "county_share_eur": _money(project.county_share_eur),
        "county_share_nok": _money(project.county_share_nok),
        "eur_nok_rate": None if project.eur_nok_rate is None else str(project.eur_nok_rate),
        "rate_date": _date(project.rate_date),
        "partners": sorted(p.slug for p in project.partners.all()),
        "organisations": sorted(o.slug for o in project.organisations.all()),
        "other_partners": project.other_partner_list,
        "commitments": sorted(c.code for c in project.commitments.all()),
        "website": project.website or None,
        "links": [{"title": link.title, "url": link.url} for link in project.links.all()],
        "county": project.county.slug if project.county else None,
        "is_example": project.is_example,
    }


@require_safe
def projects(request: HttpRequest) -> JsonResponse:
    """Every public project, with the funding per year and programme and the success rate."""
    public = Project.objects.public()
    rows = public.select_related("programme", "county").prefetch_related(
        "partners", "organisations", "commitments__priority", "links"
    )
    funding = [
        {
            "year": row["year"],
            "programme": row["programme"].slug if row["programme"] else None,
            "county_share_eur": _money(row["amount"]),
            "count": row["count"],
        }
        for row in public.funding_by_year_and_programme()
    ]
    return _json(
        {
            "results": [project_data(request, p) for p in rows],
            "funding": funding,
            "success_rate": public.success_rate(),
            "states": _labels(State.choices),
            "roles": _labels(Role.choices),
        }
    )


OPENAPI_SCHEMAS = {
    "Project": _object(
        {
            "slug": STRING,
            "url": URI,
            "name": STRING,
            "acronym": STRING,
            "programme": {
                "type": ["string", "null"],
                "description": "The programme's slug (/api/programmes/); null for other funding.",
            },
            "call": STRING,
            "role": {"type": "string", "enum": Role.values},
            "state": {"type": "string", "enum": State.values},
            "start_date": _nullable(DATE),
            "end_date": _nullable(DATE),
            "applied_on": _nullable(DATE),
            "decided_on": _nullable(DATE),
            "total_budget_eur": MONEY,
            "county_share_eur": MONEY,
            "county_share_nok": {
                **MONEY,
                "description": "The county's share in NOK at eur_nok_rate (of rate_date).",
            },
            "eur_nok_rate": MONEY,
            "rate_date": _nullable(DATE),
            "partners": {"type": "array", "items": STRING},
            "organisations": {"type": "array", "items": STRING},
            "other_partners": {"type": "array", "items": STRING},
            "commitments": {"type": "array", "items": STRING},
            "website": _nullable(URI),
            "links": {
                "type": "array",
                "items": _object({"title": STRING, "url": URI}),
            },
            "county": _nullable(STRING),
            "is_example": {"type": "boolean"},
        },
        "A public project of the county's project register. Amounts are decimal strings.",
    ),
    "Funding": _object(
        {
            "year": INTEGER,
            "programme": _nullable(STRING),
            "county_share_eur": MONEY,
            "count": INTEGER,
        },
        "The county's granted share per year of the grant decision (else the start year) "
        "and programme (null: other funding).",
    ),
    "ProjectList": _object(
        {
            "results": {"type": "array", "items": _ref("Project")},
            "funding": {"type": "array", "items": _ref("Funding")},
            "success_rate": _object(
                {
                    "granted": INTEGER,
                    "decided": INTEGER,
                    "rate": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
                },
                "Granted applications divided by decided ones (null before any decision).",
            ),
            "states": {"type": "array", "items": _ref("Label")},
            "roles": {"type": "array", "items": _ref("Label")},
        }
    ),
}

OPENAPI_PATHS = {
    "/api/projects/": {
        "get": {
            "operationId": "listProjects",
            "summary": "Public projects with the funding granted and the success rate",
            "responses": {"200": _response("All public projects.", "ProjectList")},
        }
    },
}
