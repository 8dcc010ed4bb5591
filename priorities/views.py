from functools import wraps

from django import forms
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.db.models.functions import ExtractYear
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe

from partners.models import BilateralPartner, Organisation

from .models import Activity, Commitment, Priority, Strategy, strategy_url

# Activities per page on a commitment page: the page stays small with thousands of them, and
# quick to render for staff (each activity carries its edit links).
PAGE_SIZE = 25
LATEST_ON_OVERVIEW = 8


class ActivityListForm(forms.Form):
    """The commitment page's GET filters: ?year=YYYY and ?page=N, both optional."""

    year = forms.IntegerField(required=False, min_value=1900, max_value=2999)
    page = forms.IntegerField(required=False, min_value=1)


def _redirect(request: HttpRequest, path: str) -> HttpResponse:
    """A 302 to `path` with the request's query string.

    Not a 301: which strategy is current can change, and browsers keep a 301 for good (it
    would then send them to the wrong strategy's page).
    """
    query = request.META.get("QUERY_STRING", "")
    return HttpResponseRedirect(f"{path}?{query}" if query else path)


def strategy_page(view):
    """A page of one strategy (priorities/urls.py, STRATEGY_PAGES): the view gets the strategy
    after the request, the current one at today's address, the one named under
    strategier/<slug>/ (None when no strategy has been loaded). The current strategy's
    prefixed address sends the visitor to today's address."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, strategy: str | None = None, **kwargs):
        current = Strategy.objects.current()
        if strategy is None:
            return view(request, current, *args, **kwargs)
        chosen = get_object_or_404(Strategy, slug=strategy)
        if chosen.pk == current.pk:
            return _redirect(request, reverse(request.resolver_match.view_name, kwargs=kwargs))
        return view(request, chosen, *args, **kwargs)

    return wrapper


def elsewhere(
    request: HttpRequest, strategy: Strategy | None, obj, name: str = ""
) -> HttpResponse | None:
    """A redirect to `obj`'s (a priority or commitment) own address, or its page `name`, when
    it belongs to another strategy than the address says: a link from before the current
    strategy changed, or one with the wrong strategy in it."""
    priority = getattr(obj, "priority", obj)
    if strategy is not None and priority.strategy_id == strategy.pk:
        return None
    if not name:
        return _redirect(request, obj.get_absolute_url())
    args = (priority.slug, obj.number) if obj is not priority else (priority.slug,)
    return _redirect(request, strategy_url(priority.strategy_id, name, *args, of=priority))


@require_safe
def strategy_list(request: HttpRequest) -> HttpResponse:
    """Every strategy of the portal, side by side: the current one, the others, the archived."""
    strategies = list(Strategy.objects.select_related("county").order_by("-adopted_on", "-pk"))
    current = Strategy.objects.current()
    others = [s for s in strategies if s != current]
    ctx = {
        "current": current,
        "archived": [s for s in others if s.is_archived],
        # Side by side: the current one first, then the others, the archived last.
        "strategies": [s for s in strategies if s == current]
        + sorted(others, key=lambda s: s.is_archived),
    }
    return render(request, "priorities/strategy_list.html", ctx)


@require_safe
@strategy_page
def overview(request: HttpRequest, strategy: Strategy | None) -> HttpResponse:
    ctx = {"strategy": strategy, "priorities": [], "latest": [], "this_year": _this_year()}
    if strategy is not None:
        commitments = Commitment.objects.with_public_stats()
        ctx["priorities"] = strategy.priorities.prefetch_related(
            Prefetch("commitments", queryset=commitments)
        )
        ctx["focus_points"] = strategy.focus_points.all()
        ctx["latest"] = (
            Activity.objects.public().of_strategy(strategy).with_relations()[:LATEST_ON_OVERVIEW]
        )
    return render(request, "priorities/overview.html", ctx)


@require_safe
@strategy_page
def priority(request: HttpRequest, strategy: Strategy | None, slug: str) -> HttpResponse:
    priority = get_object_or_404(Priority.objects.select_related("strategy"), slug=slug)
    if redirect := elsewhere(request, strategy, priority):
        return redirect
    # Lazy: queried only when the cached part of the page (cachedfragment) is not there.
    commitments = SimpleLazyObject(lambda: list(priority.commitments.with_public_stats()))
    ctx = {
        "priority": priority,
        "strategy": priority.strategy,
        "commitments": commitments,
        "chart": SimpleLazyObject(lambda: _activity_chart(priority, commitments)),
        "this_year": _this_year(),
    }
    return render(request, "priorities/priority.html", ctx)


def get_commitment_or_404(slug: str, number: int) -> Commitment:
    """The commitment with its priority and strategy (no counts: commitment_context's stats)."""
    queryset = Commitment.objects.select_related("priority__strategy")
    return get_object_or_404(queryset, priority__slug=slug, number=number)


def commitment_context(request: HttpRequest, commitment: Commitment) -> dict:
    """Everything the commitment page and its partials need.

    Shared with the staff views, which re-render one partial after a change. What only the
    cached parts of the page show (template tag cachedfragment) is lazy: queried on a miss.
    """
    form = ActivityListForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    # Staff see internal activities too (marked as such); everyone else public ones only.
    visible = Activity.objects.visible_to(request.user).filter(commitment=commitment)
    year = filters.get("year")

    def years() -> list[dict]:
        # COUNT(*), not COUNT(id): an index-only scan on PostgreSQL.
        return list(
            visible.order_by()
            .annotate(y=ExtractYear("start_date"))
            .values("y")
            .annotate(count=Count("*"))
            .order_by("-y")
        )

    def page():
        activities = visible.for_year(year) if year else visible
        paginator = Paginator(activities.with_relations(), PAGE_SIZE)
        # The counts per year are the total already: no second count of the same rows.
        paginator.count = sum(row["count"] for row in ctx["years"] if not year or row["y"] == year)
        return paginator.get_page(filters.get("page"))

    ctx = {
        "commitment": commitment,
        "stats": SimpleLazyObject(
            lambda: Commitment.objects.with_public_stats().get(pk=commitment.pk)
        ),
        "priority": commitment.priority,
        "strategy": commitment.priority.strategy,
        "this_year": _this_year(),
        "status_updates": commitment.status_updates.select_related("county"),
        "years": SimpleLazyObject(years),
        "year": year,
        "page_number": filters.get("page"),
        "filter_form": form,
        "page_obj": SimpleLazyObject(page),
        "includes_internal": Activity.objects.sees_internal(request.user),
        # Involved in the activities listed: staff see partners of internal ones too.
        "partners": BilateralPartner.objects.filter(activities__in=visible)
        .annotate(activity_count=Count("activities"))
        .order_by("name"),
        "organisations": Organisation.objects.filter(activities__in=visible)
        .annotate(activity_count=Count("activities"))
        .order_by("name"),
    }
    return ctx


@require_safe
@strategy_page
def commitment(request: HttpRequest, strategy: Strategy | None, slug: str, number: int):
    commitment = get_commitment_or_404(slug, number)
    if redirect := elsewhere(request, strategy, commitment):
        return redirect
    ctx = commitment_context(request, commitment)
    # A malformed ?year= or ?page= shows the whole list with a message, as a 400.
    status = 400 if ctx["filter_form"].errors else 200
    return render(request, "priorities/commitment.html", ctx, status=status)


@require_safe
def activity(request: HttpRequest, pk: int) -> HttpResponse:
    queryset = (
        Activity.objects.visible_to(request.user)
        .with_relations()
        .select_related("commitment__priority__strategy")
    )
    activity = get_object_or_404(queryset, pk=pk)
    # The strategy, for the notice on another or an archived strategy's pages (base.html).
    ctx = {"activity": activity, "strategy": activity.commitment.priority.strategy}
    return render(request, "priorities/activity.html", ctx)


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    # The owner's contact and the statement's date come with every page (counties'
    # context processor): the statement is the owner's, not the code's.
    return render(request, "priorities/accessibility.html")


def _this_year() -> int:
    return timezone.localdate().year


def _activity_chart(priority: Priority, commitments: list[Commitment]) -> dict:
    """Public activities per year and commitment, for an SVG bar chart and its table."""
    rows = (
        Activity.objects.public()
        .filter(commitment__priority=priority)
        .order_by()
        .annotate(y=ExtractYear("start_date"))
        .values("y", "commitment_id")
        .annotate(count=Count("pk"))
    )
    counts: dict[int, dict[int, int]] = {}
    for row in rows:
        counts.setdefault(row["y"], {})[row["commitment_id"]] = row["count"]

    strategy = priority.strategy
    first = min([strategy.period_start, *counts])
    last = max([min(_this_year(), strategy.period_end), *counts])
    years = []
    for year in range(last, first - 1, -1):
        by_commitment = [counts.get(year, {}).get(c.pk, 0) for c in commitments]
        years.append({"year": year, "total": sum(by_commitment), "cells": by_commitment})

    # Bars are sized with SVG attributes: CSP forbids style attributes.
    width, bar_height, gap = 320, 22, 8
    top = max([1] + [y["total"] for y in years])
    for i, row in enumerate(years):
        row["y"] = i * (bar_height + gap)
        row["width"] = round(width * row["total"] / top)
        row["text_y"] = row["y"] + bar_height - 6
        row["text_x"] = 64 + row["width"] + 6
    return {
        "years": years,
        "bar_height": bar_height,
        "height": len(years) * (bar_height + gap),
        "total": sum(y["total"] for y in years),
    }
