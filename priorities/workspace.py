"""The staff workspace: log, edit and delete activities and set status, in place with htmx.

Every view also works without JavaScript: GET gives a full page, and a successful POST
redirects back to the commitment page (303). With htmx (request.htmx) the same URLs answer
with a fragment: a form with errors comes back with status 422 (409 for an edit conflict),
which the htmx-config in base.html swaps in place.
"""

import datetime
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required as django_login_required
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget

from partners.models import (
    ENDS_SOON_DAYS,
    QUIET_MONTHS,
    BilateralPartner,
    Organisation,
    Programme,
)

from .forms import ActivityForm, StatusUpdateForm, VisitForms
from .history import changes_between, m2m_links
from .models import (
    STALE_ACTIVITY_DAYS,
    STALE_STATUS_DAYS,
    Activity,
    Commitment,
    Strategy,
    archived_message,
)
from .views import commitment_context, get_commitment_or_404, strategy_page

RECENT_ACTIVITIES = 10
# Saving a form writes one history record for the fields and one per changed relation:
# records by the same person this close together are shown as one change.
SAME_CHANGE = datetime.timedelta(seconds=5)


def login_required(view):
    """Django's login_required, but an htmx request (say, after the session expired) sends
    the whole page to the login page, instead of swapping the login form into a fragment."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.htmx and not request.user.is_authenticated:
            page = request.htmx.current_url_abs_path or request.get_full_path()
            return HttpResponseClientRedirect(redirect_to_login(page).url)
        return django_login_required(view)(request, *args, **kwargs)

    return wrapper


def _get_activity_for_edit(request: HttpRequest, pk: int, *, lock: bool = False) -> Activity:
    """The activity if the user may change it (its author, or an editor); else 404/403."""
    queryset = Activity.objects.select_related("commitment__priority")
    if lock:
        # Inside transaction.atomic: nobody else saves between our check and our write.
        queryset = queryset.select_for_update(of=("self",))
    activity = get_object_or_404(queryset, pk=pk)
    if not activity.can_edit(request.user):
        raise PermissionDenied
    return activity


def _activity_item(request: HttpRequest, pk: int, ctx: dict) -> HttpResponse:
    """Cancel in place: the activity's list item as it was, for the form to give way to."""
    ctx["activity"] = Activity.objects.with_relations().get(pk=pk)
    return render(request, "priorities/activity_form.html#activity-item", ctx)


def _valid(form: ActivityForm, visit: VisitForms) -> bool:
    """The activity form and, when the kind is a visit, the visit's: all checked, so every
    error shows at once; nothing is saved unless all are valid."""
    form_valid = form.is_valid()
    return visit.is_valid() and form_valid


def _redirect_back(url: str) -> HttpResponse:
    # 303 See Other: after a POST, the browser GETs the commitment page.
    return HttpResponseRedirect(url, status=303)


def _commitment_ctx(request: HttpRequest, commitment: Commitment, **extra) -> dict:
    """The commitment page's context (counts read afresh), for re-rendering its partials."""
    return commitment_context(request, commitment) | extra


@require_safe
@login_required
@strategy_page
def my_work(request: HttpRequest, strategy: Strategy | None) -> HttpResponse:
    """The signed-in user's work on one strategy (each strategy has its own page)."""
    user = request.user
    stale = (
        Commitment.objects.of_strategy(strategy)
        .select_related("priority__strategy")
        .with_freshness()
        .stale()
        .quietest_first()
    )
    ctx = {
        "strategy": strategy,
        # In the strategy's order, as everywhere else (1.1, 1.2, …).
        "owned": user.owned_commitments.of_strategy(strategy)
        .select_related("priority__strategy")
        .with_freshness()
        .order_by("priority__number", "number"),
        "stale": stale,
        # Newest first by date; of the same date, the one logged last first.
        "recent": Activity.objects.filter(created_by=user)
        .of_strategy(strategy)
        .select_related("commitment__priority__strategy")
        .order_by("-start_date", "-created_at", "-pk")[:RECENT_ACTIVITIES],
        "stale_activity_days": STALE_ACTIVITY_DAYS,
        "stale_status_days": STALE_STATUS_DAYS,
        # Staff only; read when the template first asks (not when its cached part is there).
        "show_attention": Activity.objects.sees_internal(user),
        "attention": SimpleLazyObject(lambda: _relations_needing_attention(user)),
        "quiet_months": QUIET_MONTHS,
        "ends_soon_days": ENDS_SOON_DAYS,
    }
    return render(request, "priorities/my_work.html", ctx)


def _relations_needing_attention(user) -> list:
    """Partners and arenas gone quiet or whose agreement or a seat ends soon, by name."""
    relations = [
        *BilateralPartner.objects.needing_attention(user),
        *Organisation.objects.needing_attention(user),
    ]
    return sorted(relations, key=lambda relation: relation.name)


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def activity_create(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    commitment = get_commitment_or_404(slug, number)
    if not request.user.has_perm("priorities.add_activity"):
        raise PermissionDenied
    if commitment.priority.strategy.is_archived:
        # Readable, but closed: the 403 page says why (the form would refuse it too).
        raise PermissionDenied(archived_message(commitment.priority.strategy))
    ctx = {"commitment": commitment, "inline": bool(request.htmx)}
    if request.htmx and "cancel" in request.GET:
        ctx["focus"] = True
        return render(request, "priorities/activity_form.html#log-activity-button", ctx)

    activity = Activity(commitment=commitment, created_by=request.user)
    if request.method == "POST":
        form = ActivityForm(request.POST, instance=activity)
        visit = VisitForms(activity, request.POST)
        if _valid(form, visit):
            with transaction.atomic():
                activity = form.save()
                visit.save(activity)
            message = _("“%(title)s” was logged.") % {"title": activity.title}
            if not request.htmx:
                messages.success(request, message)
                return _redirect_back(f"{commitment.get_absolute_url()}#activity-{activity.pk}")
            # The whole list again: the new activity takes its place in the timeline,
            # the form closes, and the summary's counts follow (data-hx-select-oob).
            ctx = _commitment_ctx(
                request, commitment, focus_activity_pk=activity.pk, announcement=message
            )
            response = render(request, "priorities/activity_form.html#activity-logged", ctx)
            return reswap(retarget(response, "#activity-list"), "outerHTML")
    else:
        form = ActivityForm(instance=activity)
        visit = VisitForms(activity)

    ctx |= {"form": form, "visit": visit, "activity": activity}
    status = 422 if form.errors or visit.has_errors else 200
    template = "priorities/activity_form.html"
    if request.htmx:
        template += "#activity-form"
    return render(request, template, ctx, status=status)


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    ctx = {"inline": bool(request.htmx)}
    if request.method == "POST":
        with transaction.atomic():
            activity = _get_activity_for_edit(request, pk, lock=True)
            form = ActivityForm(request.POST, instance=activity)
            visit = VisitForms(activity, request.POST)
            if _valid(form, visit):
                activity = form.save()
                visit.save(activity)
        if not form.errors and not visit.has_errors:
            message = _("“%(title)s” was saved.") % {"title": activity.title}
            if not request.htmx:
                messages.success(request, message)
                return _redirect_back(
                    f"{activity.commitment.get_absolute_url()}#activity-{activity.pk}"
                )
            ctx = _commitment_ctx(
                request,
                activity.commitment,
                activity=Activity.objects.with_relations().get(pk=activity.pk),
                focus_activity_pk=activity.pk,
                announcement=message,
            )
            return render(request, "priorities/activity_form.html#activity-saved", ctx)
        # Form errors are 422; a newer version in the database is a 409 Conflict.
        status = 409 if form.is_conflict else 422
    else:
        activity = _get_activity_for_edit(request, pk)
        if request.htmx and "cancel" in request.GET:
            return _activity_item(request, pk, ctx)
        form = ActivityForm(instance=activity)
        visit = VisitForms(activity)
        status = 200

    ctx |= {
        "form": form,
        "visit": visit,
        "activity": activity,
        "commitment": activity.commitment,
    }
    template = "priorities/activity_form.html"
    if request.htmx:
        template += "#activity-form"
    return render(request, template, ctx, status=status)


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def activity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    ctx = {"inline": bool(request.htmx)}
    if request.method == "POST":
        with transaction.atomic():
            activity = _get_activity_for_edit(request, pk, lock=True)
            commitment, title = activity.commitment, activity.title
            activity.delete()
        message = _("“%(title)s” was deleted.") % {"title": title}
        if not request.htmx:
            messages.success(request, message)
            return _redirect_back(f"{commitment.get_absolute_url()}#activity-list")
        # The item gives way to a short notice in its place, which takes the focus.
        ctx = _commitment_ctx(request, commitment, pk=pk, title=title, announcement=message)
        return render(request, "priorities/activity_confirm_delete.html#activity-deleted", ctx)

    activity = _get_activity_for_edit(request, pk)
    if request.htmx and "cancel" in request.GET:
        return _activity_item(request, pk, ctx)
    ctx |= {"activity": activity, "commitment": activity.commitment}
    template = "priorities/activity_confirm_delete.html"
    if request.htmx:
        template += "#confirm-delete"
    return render(request, template, ctx)


@require_safe
@login_required
@permission_required("priorities.view_activity", raise_exception=True)
def activity_history(request: HttpRequest, pk: int) -> HttpResponse:
    queryset = Activity.objects.visible_to(request.user).select_related("commitment__priority")
    activity = get_object_or_404(queryset, pk=pk)
    ctx = {
        "activity": activity,
        "commitment": activity.commitment,
        "entries": _change_log(activity),
    }
    return render(request, "priorities/activity_history.html", ctx)


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def status_create(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    # With the current status: the form starts from it.
    commitment = get_object_or_404(
        Commitment.objects.select_related("priority__strategy").with_status(),
        priority__slug=slug,
        number=number,
    )
    if not commitment.can_set_status(request.user):
        raise PermissionDenied
    ctx = {"commitment": commitment, "inline": bool(request.htmx)}
    if request.htmx and "cancel" in request.GET:
        ctx["focus"] = True
        return render(request, "priorities/status_form.html#set-status-button", ctx)

    if request.method == "POST":
        form = StatusUpdateForm(request.POST)
        if form.is_valid():
            with transaction.atomic():
                update = commitment.set_status(**form.cleaned_data, author=request.user)
            message = _("The status was set to “%(status)s”.") % {
                "status": update.get_status_display()
            }
            if not request.htmx:
                messages.success(request, message)
                return _redirect_back(f"{commitment.get_absolute_url()}#status-history")
            ctx = _commitment_ctx(request, commitment, focus=True, announcement=message)
            ctx["inline"] = True
            return render(request, "priorities/status_form.html#status-saved", ctx)
    else:
        form = StatusUpdateForm(initial={"status": commitment.current_status_value})

    ctx["form"] = form
    status = 422 if form.errors else 200
    template = "priorities/status_form.html"
    if request.htmx:
        template += "#status-form"
    return render(request, template, ctx, status=status)


def _change_log(activity: Activity) -> list[dict]:
    """Who changed what and when, newest first, from django-simple-history's records.

    A fixed number of queries however long the history: the partner and organisation
    links of every record are read at once (priorities/history.py, as the admin does).
    """
    records = list(
        activity.history.select_related("history_user").order_by("history_date", "history_id")
    )
    links = m2m_links(Activity, records)
    names = {"programme": {p.pk: str(p) for p in Programme.objects.all()}}
    entries: list[dict] = []
    previous = None
    for record in records:
        first, changes = previous is None, []
        if previous is not None and record.history_type == "~":
            changes = _changes(previous, record, links, names)
        previous = record
        last = entries[-1] if entries else None
        if (
            last is not None
            and record.history_type == "~"
            and last["record"].history_user_id == record.history_user_id
            and record.history_date - last["date"] <= SAME_CHANGE
        ):
            # The relations saved right after the fields: part of the same change.
            merged = {c["field"]: c for c in last["changes"]}
            for change in changes:
                if change["field"] in merged:
                    change["old"] = merged[change["field"]]["old"]
                merged[change["field"]] = change
            last["changes"] = [c for c in merged.values() if c["old"] != c["new"]]
            last["date"] = record.history_date
            continue
        if record.history_type == "~" and not changes and not first:
            continue  # nothing anyone would see changed
        entries.append({"record": record, "date": record.history_date, "changes": changes})
    entries.reverse()
    return entries


def _changes(old, new, links: dict, names: dict) -> list[dict]:
    delta = changes_between(old, new, links, excluded_fields=["updated_at"])
    return [
        {
            "field": change.field,
            "label": Activity._meta.get_field(change.field).verbose_name,
            "old": _display(change.field, change.old, names, links),
            "new": _display(change.field, change.new, names, links),
        }
        for change in delta.changes
    ]


def _display(field: str, value, names: dict, links: dict) -> str:
    """A history value as people read it: names instead of ids, labels instead of codes."""
    if value in (None, "", []):
        return "—"
    if field in links:  # [{related field: object}, …], as diff_against() gives them
        return ", ".join(str(related) for row in value for related in row.values())
    if field == "programme":
        return str(names["programme"].get(value, value))
    if field == "kind":
        return str(Activity.Kind(value).label) if value in Activity.Kind.values else str(value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, datetime.datetime | datetime.date):
        return date_format(value)
    return str(value)
