"""The project register on other apps' pages: the funding figure (overview, yearly report,
the project list) and a partner's or commitment's projects."""

from decimal import Decimal

from django import template

from ..models import Project

register = template.Library()


def funding_table(projects) -> dict:
    """What the funding figure draws: per grant year, the county's granted share per
    programme (ProjectQuerySet.funding_by_year_and_programme), each bar's length relative
    to the largest year, and the success rate of the applications."""
    rows = projects.funding_by_year_and_programme()
    years: dict[int, dict] = {}
    for row in rows:
        year = years.setdefault(row["year"], {"year": row["year"], "rows": [], "total": Decimal(0)})
        year["rows"].append(row)
        year["total"] += row["amount"]
    largest = max((y["total"] for y in years.values()), default=Decimal(0))
    for year in years.values():
        # Bar length in per cent of the figure's width (an SVG width attribute: CSP forbids
        # style attributes); a non-zero amount gets at least a sliver.
        share = year["total"] / largest * 100 if largest else 0
        year["percent"] = max(round(share, 1), 1 if year["total"] else 0)
    success = projects.success_rate()
    if success["rate"] is not None:
        success["percent"] = round(success["rate"] * 100)
    return {
        "years": sorted(years.values(), key=lambda y: y["year"]),
        "success": success,
        "total": sum((y["total"] for y in years.values()), Decimal(0)),
    }


@register.inclusion_tag("projects/funding_figure.html", takes_context=True)
def funding_figure(context, heading_level: int = 2, year: int | None = None) -> dict:
    """{% funding_figure %}: the public projects' funding granted per year and programme,
    and the success rate. Public projects only, whoever looks: the figure is the same for
    every visitor (and may be cached). With `year`, up to and including that year."""
    projects = Project.objects.public()
    if year is not None:
        projects = projects.with_grant_year().exclude(grant_year__gt=year)
    return {**funding_table(projects), "heading_level": heading_level, "up_to": year}


@register.simple_tag(takes_context=True)
def projects_of(context, **relation):
    """{% projects_of partners=partner as projects %}: the projects the user may see that
    involve a partner, an organisation or a commitment."""
    return list(
        Project.objects.visible_to(context["user"])
        .filter(**relation)
        .select_related("programme")
        .order_by("-start_date", "name")
    )
