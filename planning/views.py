"""The yearly action plan: the public page per year, and the editors' and owners' forms.

As in the staff workspace (priorities/workspace.py), every form works without JavaScript: GET
gives a full page and a successful POST redirects to the plan (303). With htmx the same URLs
answer with fragments: the form in place, and after a save the plan's body again, with the
changed measure focused; a form with errors comes back with status 422 (409 for an edit
conflict), which the htmx-config in base.html swaps in place.
"""

import datetime
from collections import defaultdict

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import reswap, retarget

from priorities.forms import CountyFilterForm
from priorities.history import changes_between
from priorities.models import Commitment, Strategy
from priorities.views import strategy_page
from priorities.workspace import login_required
from strategy_portal.fields import fits_int64

from .forms import MeasureForm, StateForm
from .models import Measure


def plan_years(strategy: Strategy) -> list[int]:
    return list(range(strategy.period_start, strategy.period_end + 1))


def _strategy_and_year(strategy: Strategy | None, year: int | None) -> tuple[Strategy, int]:
    """The plan's strategy (the address's: views.strategy_page) and year (this year, within
    the strategy's period, by default); 404 for a year outside the period or when no strategy
    is loaded."""
    if strategy is None:
        raise Http404("No strategy has been loaded.")
    if year is None:
        year = min(max(timezone.localdate().year, strategy.period_start), strategy.period_end)
    if year not in plan_years(strategy):
        raise Http404("No action plan for that year.")
    return strategy, year


def _owned(user) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(user.owned_commitments.values_list("pk", flat=True))


def _with_flags(measure: Measure, user, owned: set[int]) -> Measure:
    """What the user may do with the measure, for the template (no query per measure)."""
    measure.state_settable = measure.can_set_state(user, owned_commitments=owned)
    measure.editable = measure.can_edit(user)
    return measure


def plan_context(request: HttpRequest, strategy: Strategy, year: int, county=None, **extra) -> dict:
    """The plan of `year`: priorities, their commitments, and each commitment's measures
    as the user may see them (internal ones for staff only), those of `county` only when it
    is given, in a fixed number of queries.

    The plan's body is kept in the cache (template tag cachedfragment): what only it shows is
    lazy, queried on a miss."""
    user = request.user

    def measures_by_commitment() -> dict[int, list[Measure]]:
        measures = (
            Measure.objects.visible_to(user)
            .for_plan(strategy, year)
            .for_county(county)
            .with_state()
            .select_related("responsible", "county")
            .order_by("deadline", "pk")
        )
        owned = _owned(user)
        rows = defaultdict(list)
        for measure in measures:
            rows[measure.commitment_id].append(_with_flags(measure, user, owned))
        return rows

    def priorities() -> list:
        priorities = list(
            strategy.priorities.prefetch_related(
                Prefetch("commitments", queryset=Commitment.objects.order_by("number"))
            )
        )
        for priority in priorities:
            for commitment in priority.commitments.all():
                commitment.plan_measures = by_commitment[commitment.pk]
        return priorities

    by_commitment = SimpleLazyObject(measures_by_commitment)
    return {
        "strategy": strategy,
        "year": year,
        "years": plan_years(strategy),
        "plan_county": county,
        "priorities": SimpleLazyObject(priorities),
        "measure_count": SimpleLazyObject(
            lambda: sum(len(rows) for rows in by_commitment.values())
        ),
        "can_plan": Measure.can_plan(user),
        "includes_internal": Measure.objects.sees_internal(user),
        **extra,
    }


@require_safe
@strategy_page
def plan(request: HttpRequest, strategy: Strategy | None, year: int | None = None) -> HttpResponse:
    strategy, year = _strategy_and_year(strategy, year)
    # ?county=: that county authority's measures; an unknown one is the form's message, a 400.
    filters = CountyFilterForm(request.GET)
    county = filters.cleaned_data.get("county") if filters.is_valid() else None
    ctx = plan_context(request, strategy, year, county, filters=filters)
    return render(request, "planning/plan.html", ctx, status=400 if filters.errors else 200)


def _redirect_to(measure: Measure) -> HttpResponse:
    # 303 See Other: after a POST, the browser GETs the plan.
    return HttpResponseRedirect(measure.get_absolute_url(), status=303)


def _plan_saved(request: HttpRequest, measure: Measure, message: str) -> HttpResponse:
    """After a save: the plain form goes back to the plan; htmx gets the plan's body again,
    the measure focused and the message announced."""
    if not request.htmx:
        messages.success(request, message)
        return _redirect_to(measure)
    strategy = measure.commitment.priority.strategy
    ctx = plan_context(
        request, strategy, measure.year, focus_measure_pk=measure.pk, announcement=message
    )
    response = render(request, "planning/plan.html#plan-saved", ctx)
    return reswap(retarget(response, "#plan-body"), "outerHTML")


def _measure_item(request: HttpRequest, pk: int) -> HttpResponse:
    """Cancel in place: the measure as it was, for the form to give way to."""
    measure = Measure.objects.with_state().select_related("responsible").get(pk=pk)
    ctx = {"measure": _with_flags(measure, request.user, _owned(request.user)), "focus": True}
    ctx["focus_measure_pk"] = pk
    return render(request, "planning/plan.html#measure-item", ctx)


class CommitmentQueryForm(forms.Form):
    """?commitment=<id>: the commitment an editor's "Add measure" starts from (optional)."""

    commitment = forms.IntegerField(required=False, min_value=1, max_value=2**63 - 1)


def _commitment_from_query(request: HttpRequest, strategy: Strategy) -> Commitment | None:
    form = CommitmentQueryForm(request.GET)
    if not form.is_valid() or not form.cleaned_data["commitment"]:
        return None
    pk = form.cleaned_data["commitment"]
    if not fits_int64(pk):
        return None
    return Commitment.objects.filter(priority__strategy=strategy, pk=pk).first()


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
@strategy_page
def measure_create(request: HttpRequest, strategy: Strategy | None, year: int) -> HttpResponse:
    strategy, year = _strategy_and_year(strategy, year)
    if not Measure.can_plan(request.user):
        raise PermissionDenied
    commitment = _commitment_from_query(request, strategy)
    ctx = {
        "strategy": strategy,
        "year": year,
        "commitment": commitment,
        "inline": bool(request.htmx),
    }
    if request.htmx and "cancel" in request.GET and commitment is not None:
        ctx["focus"] = True
        return render(request, "planning/plan.html#add-measure-button", ctx)

    measure = Measure(year=year, created_by=request.user)
    if request.method == "POST":
        form = MeasureForm(request.POST, instance=measure, strategy=strategy)
        if form.is_valid():
            with transaction.atomic():
                measure = form.save()
            return _plan_saved(
                request, measure, _("“%(title)s” was added to the plan.") % {"title": measure.title}
            )
    else:
        form = MeasureForm(instance=measure, strategy=strategy, initial={"commitment": commitment})

    ctx |= {"form": form, "measure": measure}
    template = "planning/measure_form.html" + ("#measure-form" if request.htmx else "")
    return render(request, template, ctx, status=422 if form.errors else 200)


def _get_measure(request: HttpRequest, pk: int, *, lock: bool = False) -> Measure:
    """The measure with its commitment and strategy; 404 when there is none."""
    queryset = Measure.objects.select_related("commitment__priority__strategy")
    if lock:
        # Inside transaction.atomic: nobody else saves between our check and our write.
        queryset = queryset.select_for_update(of=("self",))
    return get_object_or_404(queryset, pk=pk)


def _get_measure_for_edit(request: HttpRequest, pk: int, *, lock: bool = False) -> Measure:
    measure = _get_measure(request, pk, lock=lock)
    if not measure.can_edit(request.user):
        raise PermissionDenied
    return measure


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def measure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    ctx = {"inline": bool(request.htmx)}
    if request.method == "POST":
        with transaction.atomic():
            measure = _get_measure_for_edit(request, pk, lock=True)
            strategy = measure.commitment.priority.strategy
            form = MeasureForm(request.POST, instance=measure, strategy=strategy)
            if form.is_valid():
                measure = form.save()
        if not form.errors:
            return _plan_saved(
                request, measure, _("“%(title)s” was saved.") % {"title": measure.title}
            )
        status = 409 if form.is_conflict else 422
        measure.refresh_from_db()  # the heading names the measure as saved, not as typed
    else:
        measure = _get_measure_for_edit(request, pk)
        if request.htmx and "cancel" in request.GET:
            return _measure_item(request, pk)
        form = MeasureForm(instance=measure, strategy=measure.commitment.priority.strategy)
        status = 200

    ctx |= {
        "form": form,
        "measure": measure,
        "year": measure.year,
        "strategy": measure.commitment.priority.strategy,
        "commitment": measure.commitment,
    }
    template = "planning/measure_form.html" + ("#measure-form" if request.htmx else "")
    return render(request, template, ctx, status=status)


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def measure_state(request: HttpRequest, pk: int) -> HttpResponse:
    measure = _get_measure(request, pk)
    if not measure.can_set_state(request.user):
        raise PermissionDenied
    if request.htmx and "cancel" in request.GET:
        return _measure_item(request, pk)
    if request.method == "POST":
        form = StateForm(request.POST)
        if form.is_valid():
            with transaction.atomic():
                change = measure.set_state(**form.cleaned_data, author=request.user)
            message = _("The state of “%(title)s” was set to “%(state)s”.") % {
                "title": measure.title,
                "state": change.get_state_display(),
            }
            return _plan_saved(request, measure, message)
    else:
        current = Measure.objects.with_state().get(pk=pk).current_state
        form = StateForm(initial={"state": current, "changed_on": timezone.localdate()})

    ctx = {"form": form, "measure": measure, "inline": bool(request.htmx)}
    template = "planning/state_form.html" + ("#state-form" if request.htmx else "")
    return render(request, template, ctx, status=422 if form.errors else 200)


@require_safe
@login_required
def measure_history(request: HttpRequest, pk: int) -> HttpResponse:
    measure = _get_measure(request, pk)
    if not (request.user.has_perm("planning.view_measure") or measure.can_set_state(request.user)):
        raise PermissionDenied
    ctx = {
        "measure": measure,
        "commitment": measure.commitment,
        "state_changes": measure.state_changes.select_related("author"),
        "entries": _change_log(measure),
    }
    return render(request, "planning/measure_history.html", ctx)


def _change_log(measure: Measure) -> list[dict]:
    """Who changed the measure's fields and when, newest first (django-simple-history)."""
    records = list(
        measure.history.select_related("history_user").order_by("history_date", "history_id")
    )
    people = _people(records)
    commitments = {
        c.pk: c.code for c in Commitment.objects.filter(pk__in={r.commitment_id for r in records})
    }
    entries, previous = [], None
    for record in records:
        changes = []
        if previous is not None and record.history_type == "~":
            delta = changes_between(previous, record, {}, excluded_fields=["updated_at"])
            changes = [
                {
                    "label": Measure._meta.get_field(change.field).verbose_name,
                    "old": _display(change.field, change.old, people, commitments),
                    "new": _display(change.field, change.new, people, commitments),
                }
                for change in delta.changes
            ]
        first = previous is None
        previous = record
        if record.history_type == "~" and not changes and not first:
            continue  # nothing anyone would see changed
        entries.append({"record": record, "date": record.history_date, "changes": changes})
    entries.reverse()
    return entries


def _people(records) -> dict:
    ids = {r.responsible_id for r in records if r.responsible_id}
    users = get_user_model().objects.filter(pk__in=ids)
    return {u.pk: u.get_full_name() or u.get_username() for u in users}


def _display(field: str, value, people: dict, commitments: dict) -> str:
    if value in (None, ""):
        return "—"
    if field == "responsible":
        return people.get(value, str(value))
    if field == "commitment":
        return commitments.get(value, str(value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime | datetime.date):
        return date_format(value)
    return str(value)
