"""The yearly report and its CSV and XLSX downloads (priorities/imports.py reads them back)."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db import models
from django.db.models import (
    Count,
    F,
    Prefetch,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import RowNumber
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from partners.models import BilateralPartner, Organisation
from strategy_portal.cache import cached_fragment

from . import exchange
from .forms import CountyFilterForm
from .models import Activity, Commitment, Strategy
from .views import strategy_page


def _check_year(strategy: Strategy | None, year: int) -> Strategy:
    if strategy is None or year not in strategy.report_years():
        raise Http404(_("There is no yearly report for %(year)s.") % {"year": year})
    return strategy


def _year_activities(strategy: Strategy, year: int, county=None):
    return (
        Activity.objects.public()
        .for_year(year)
        .of_strategy(strategy)
        .for_county(county)
        .select_related("commitment__priority", "programme", "county", "measure")
        .order_by("start_date", "pk")
    )


# --- The report ----------------------------------------------------------------------------


@dataclass
class Figure:
    label: str
    count: int
    previous: int

    @property
    def change(self) -> int:
        return self.count - self.previous


# Per commitment and kind, the report lists this many of the year's latest activities, with
# the count and a link to all of them in the search: with tens of thousands of activities a
# year, a list of every one is a page of megabytes that takes seconds to render.
LATEST_PER_KIND = 5


@dataclass
class KindGroup:
    kind: str
    label: str
    count: int
    activities: list  # the latest LATEST_PER_KIND, oldest first

    @property
    def more(self) -> int:
        return self.count - len(self.activities)


@dataclass
class CommitmentReport:
    commitment: Commitment
    status: str | None
    assessment: str
    status_at: datetime.datetime | None
    status_is_example: bool
    groups: list = field(default_factory=list)  # KindGroup per kind, in Activity.Kind order
    partners: list = field(default_factory=list)
    organisations: list = field(default_factory=list)
    count: int = 0


@dataclass
class PriorityReport:
    priority: object
    commitments: list = field(default_factory=list)


def _latest_per_kind(activities) -> list[Activity]:
    """The LATEST_PER_KIND latest of `activities` per commitment and kind, oldest first, with
    .linked_partners and .linked_organisations as exchange.attach_links() sets them."""
    rank = Window(
        RowNumber(),
        partition_by=[F("commitment_id"), F("kind")],
        order_by=[F("start_date").desc(), F("pk").desc()],
    )
    # Ranked on the indexed columns alone; then only the rows listed are read whole (by a
    # list of ids: as a subquery, the planner expects every row of the year to come back).
    ranked = activities.annotate(rank=rank).filter(rank__lte=LATEST_PER_KIND)
    latest = list(
        Activity.objects.filter(pk__in=list(ranked.values_list("pk", flat=True)))
        .only("commitment_id", "kind", "title", "start_date", "place", "outcome", "is_example")
        .fetch_mode(models.FETCH_PEERS)  # a field left out above: one query, not one per row
        .order_by("start_date", "pk")
    )
    # Lists (to_attr), not related managers: a manager per activity costs more than the query.
    prefetch_related_objects(
        latest,
        Prefetch("partners", BilateralPartner.objects.order_by("slug"), to_attr="linked_partners"),
        Prefetch(
            "organisations", Organisation.objects.order_by("slug"), to_attr="linked_organisations"
        ),
    )
    return latest


def _engaged(activities, relation: str) -> dict[int, Counter]:
    """Per commitment, how many of `activities` each partner (or organisation) took part in."""
    rows = (
        activities.filter(**{f"{relation}__isnull": False})
        .order_by()
        .values_list("commitment_id", relation)
        .annotate(n=Count("*"))
    )
    engaged: dict[int, Counter] = {}
    for commitment_id, target_id, n in rows:
        engaged.setdefault(commitment_id, Counter())[target_id] = n
    return engaged


def build_report(strategy: Strategy, year: int, county=None) -> dict:
    """Everything the report shows, in a constant number of queries whatever the data; with
    `county`, of the activities attributed to it (the statuses are the commitments')."""
    # The status at year end is the latest update made before 1 January of the next year.
    year_end = timezone.make_aware(datetime.datetime(year + 1, 1, 1))
    commitments = list(
        Commitment.objects.of_strategy(strategy)
        .select_related("priority__strategy")
        .with_status(as_of=year_end)
    )
    # Counts per commitment and kind, this year and the year before, in one grouped query.
    counts = (
        Activity.objects.public()
        .of_strategy(strategy)
        .for_county(county)
        .filter(
            start_date__gte=datetime.date(year - 1, 1, 1),
            start_date__lt=datetime.date(year + 1, 1, 1),
        )
        .values_list("commitment_id", "kind", "start_date__year")
        .annotate(n=Count("*"))
        .order_by()
    )
    per_commitment: Counter = Counter()  # (commitment id, kind, year) -> activities
    for commitment_id, kind, key_year, n in counts:
        per_commitment[commitment_id, kind, key_year] = n
    year_activities = _year_activities(strategy, year, county)
    shown: dict[tuple[int, str], list[Activity]] = {}
    for activity in _latest_per_kind(year_activities):
        shown.setdefault((activity.commitment_id, activity.kind), []).append(activity)
    partner_links = _engaged(year_activities, "partners")
    organisation_links = _engaged(year_activities, "organisations")
    partners = BilateralPartner.objects.in_bulk(
        {pk for links in partner_links.values() for pk in links}
    )
    organisations = Organisation.objects.in_bulk(
        {pk for links in organisation_links.values() for pk in links}
    )

    labels = dict(Activity.Kind.choices)
    priorities: dict[int, PriorityReport] = {}
    per_priority: Counter = Counter()
    per_kind: Counter = Counter()
    partner_counts: Counter = Counter()
    organisation_counts: Counter = Counter()
    for commitment in commitments:
        report = priorities.setdefault(
            commitment.priority_id, PriorityReport(commitment.priority)
        ).commitments
        groups = []
        for kind in Activity.Kind.values:
            for key_year in (year, year - 1):
                n = per_commitment[commitment.pk, kind, key_year]
                per_priority[commitment.priority_id, key_year] += n
                per_kind[kind, key_year] += n
            if n := per_commitment[commitment.pk, kind, year]:
                groups.append(
                    KindGroup(kind, labels[kind], n, shown.get((commitment.pk, kind), []))
                )
        own_partners = partner_links.get(commitment.pk, Counter())
        own_organisations = organisation_links.get(commitment.pk, Counter())
        for pk, n in own_partners.items():
            partner_counts[partners[pk]] += n
        for pk, n in own_organisations.items():
            organisation_counts[organisations[pk]] += n
        report.append(
            CommitmentReport(
                commitment=commitment,
                status=commitment.current_status_value,
                assessment=commitment.current_assessment or "",
                status_at=commitment.current_status_at,
                status_is_example=bool(commitment.current_status_is_example),
                groups=groups,
                partners=sorted((partners[pk] for pk in own_partners), key=lambda p: p.name),
                organisations=sorted(
                    (organisations[pk] for pk in own_organisations), key=lambda o: o.name
                ),
                count=sum(group.count for group in groups),
            )
        )

    # Summary figures, this year and the year before.
    priority_figures = [
        Figure(str(p.priority), per_priority[pk, year], per_priority[pk, year - 1])
        for pk, p in priorities.items()
    ]
    kind_figures = [
        Figure(labels[kind], per_kind[kind, year], per_kind[kind, year - 1])
        for kind in Activity.Kind.values
        if per_kind[kind, year] or per_kind[kind, year - 1]
    ]
    total = Figure(
        _("All activities"),
        sum(f.count for f in priority_figures),
        sum(f.previous for f in priority_figures),
    )
    return {
        "priorities": list(priorities.values()),
        "activity_count": total.count,
        "priority_figures": priority_figures,
        "kind_figures": kind_figures,
        "total": total,
        "partners": sorted(partner_counts.items(), key=lambda item: item[0].name),
        "organisations": sorted(organisation_counts.items(), key=lambda item: item[0].name),
    }


@require_safe
@strategy_page
def report_index(request: HttpRequest, strategy: Strategy | None) -> HttpResponse:
    years = strategy.report_years() if strategy else []
    ctx = {"strategy": strategy, "years": years, "this_year": timezone.localdate().year}
    return render(request, "priorities/report_index.html", ctx)


def _county_filter(request: HttpRequest) -> CountyFilterForm:
    form = CountyFilterForm(request.GET)
    form.is_valid()
    return form


@require_safe
@strategy_page
def report(request: HttpRequest, strategy: Strategy | None, year: int) -> HttpResponse:
    strategy = _check_year(strategy, year)
    # An unknown ?county= shows the whole report with the form's message, as a 400.
    filters = _county_filter(request)
    county = filters.cleaned_data.get("county")
    ctx = {"strategy": strategy, "year": year}

    def body() -> str:
        body_ctx = {
            **ctx,
            "years": strategy.report_years(),
            "in_progress": year == timezone.localdate().year,
            "today": timezone.localdate(),
            "columns": exchange.COLUMNS,
            "kinds": Activity.Kind.choices,
            "filters": filters,
            "counties": filters.fields["county"].queryset,
            "county": county,
            **build_report(strategy, year, county),
        }
        return render_to_string("priorities/report.html#report-body", body_ctx, request)

    # Public activities only, for everyone: one body serves every visitor who may (or may
    # not) import, on this address (it is printed), until the content changes.
    may_import = request.user.has_perm("priorities.change_activity")
    parts = [str(year), str(may_import), request.build_absolute_uri()]
    ctx["body"] = cached_fragment("report", parts, body)
    return render(request, "priorities/report.html", ctx, status=400 if filters.errors else 200)


# --- Downloads -----------------------------------------------------------------------------


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _download_activities(request: HttpRequest, strategy: Strategy | None, year: int):
    """The year's public activities for a download (whoever asks: a download is shared on),
    with ?county= applied; a 400 with the form's message for an unknown county."""
    strategy = _check_year(strategy, year)
    filters = _county_filter(request)
    if filters.errors:
        message = " ".join(str(error) for error in filters.errors["county"])
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
    county = filters.cleaned_data["county"]
    return exchange.attach_links(_year_activities(strategy, year, county))


@require_safe
@strategy_page
def report_csv(request: HttpRequest, strategy: Strategy | None, year: int) -> HttpResponse:
    activities = _download_activities(request, strategy, year)
    if isinstance(activities, HttpResponse):
        return activities
    return _download(
        exchange.csv_bytes(activities), "text/csv; charset=utf-8", f"aktiviteter-{year}.csv"
    )


@require_safe
@strategy_page
def report_xlsx(request: HttpRequest, strategy: Strategy | None, year: int) -> HttpResponse:
    activities = _download_activities(request, strategy, year)
    if isinstance(activities, HttpResponse):
        return activities
    content = exchange.xlsx_bytes(activities, sheet_title=f"Aktiviteter {year}")
    return _download(
        content,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        f"aktiviteter-{year}.xlsx",
    )
