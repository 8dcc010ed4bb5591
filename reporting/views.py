"""Reporting rounds: the list of a strategy's rounds, opening one, the round's page (the
editors' dashboard, the owners' own entries), an entry's form and an editor's review.

As in the action plan (planning/views.py), every form works without JavaScript: GET gives a
full page and a successful POST redirects (303). With htmx the same URLs answer with the
entry's panel in place, the change announced; a form with errors comes back with status 422
(409 for an edit conflict or a frozen entry), which the htmx-config in base.html swaps in place.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from priorities.models import Strategy
from priorities.views import strategy_page
from priorities.workspace import login_required
from reminders.tasks import entry_reviewed
from strategy_portal import pdf

from . import annual
from .annual import build_annual_report
from .forms import EntryForm, IntroductionForm, ReviewForm, RoundForm
from .models import Entry, Round
from .tasks import build_annual_report_pdf

# How long the "being made" page asks a client to wait before asking again (Retry-After).
PDF_RETRY_SECONDS = 15


def _strategy(strategy: Strategy | None) -> Strategy:
    if strategy is None:
        raise Http404("No strategy has been loaded.")
    return strategy


def _redirect(url: str) -> HttpResponse:
    return HttpResponseRedirect(url, status=303)


@require_safe
@login_required
@strategy_page
def rounds(request: HttpRequest, strategy: Strategy | None) -> HttpResponse:
    strategy = _strategy(strategy)
    if not Round.can_take_part(request.user):
        raise PermissionDenied
    ctx = {
        "strategy": strategy,
        "rounds": Round.objects.of_strategy(strategy),
        "can_manage": Round.can_manage(request.user),
    }
    return render(request, "reporting/rounds.html", ctx)


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
@strategy_page
def round_create(request: HttpRequest, strategy: Strategy | None) -> HttpResponse:
    strategy = _strategy(strategy)
    if not Round.can_manage(request.user):
        raise PermissionDenied
    new_round = Round(strategy=strategy, created_by=request.user)
    if request.method == "POST":
        form = RoundForm(request.POST, instance=new_round)
        if form.is_valid():
            try:
                form.instance.open()
            except ValidationError as error:  # a round for the year opened meanwhile
                form.add_error(None, error)
        if not form.errors:
            messages.success(request, _("%(round)s was opened.") % {"round": new_round})
            if request.htmx:
                response = HttpResponse(status=200)
                response["HX-Redirect"] = new_round.get_absolute_url()
                return response
            return _redirect(new_round.get_absolute_url())
    else:
        year = min(max(timezone.localdate().year, strategy.period_start), strategy.period_end)
        form = RoundForm(instance=new_round, initial={"year": year})
    ctx = {"strategy": strategy, "form": form}
    template = "reporting/round_form.html" + ("#round-form" if request.htmx else "")
    return render(request, template, ctx, status=422 if form.errors else 200)


def _get_round(strategy: Strategy, year: int) -> Round:
    return get_object_or_404(Round, strategy=strategy, year=year)


@require_safe
@login_required
@strategy_page
def round_page(request: HttpRequest, strategy: Strategy | None, year: int) -> HttpResponse:
    the_round = _get_round(_strategy(strategy), year)
    if not Round.can_take_part(request.user):
        raise PermissionDenied
    ctx = {"round": the_round, "strategy": the_round.strategy}
    if Round.can_manage(request.user):
        ctx["summary"] = the_round.summary()
    else:
        ctx["own_entries"] = the_round.entries_for(request.user).with_standing()
    return render(request, "reporting/round.html", ctx)


def _get_entry(strategy: Strategy | None, year: int, pk: int, *, lock: bool = False) -> Entry:
    queryset = Entry.objects.select_related("round__strategy", "commitment__priority")
    if lock:
        # Inside transaction.atomic: nobody else changes the entry between check and write.
        queryset = queryset.select_for_update(of=("self",))
    return get_object_or_404(queryset, pk=pk, round__strategy=_strategy(strategy), round__year=year)


def _entry_context(request: HttpRequest, entry: Entry, **extra) -> dict:
    user = request.user
    ctx = {
        "entry": entry,
        "round": entry.round,
        "strategy": entry.round.strategy,
        "commitment": entry.commitment,
        "can_write": entry.can_write(user),
        "can_submit": entry.can_submit(user),
        "can_review": entry.can_review(user),
        "can_reopen": entry.can_reopen(user),
        "inline": bool(request.htmx),
    }
    if "form" not in extra and ctx["can_write"]:
        ctx["form"] = EntryForm(instance=entry)
    if "review_form" not in extra and ctx["can_review"]:
        ctx["review_form"] = ReviewForm(prefix="review")
    return ctx | extra


def _entry_saved(request: HttpRequest, entry: Entry, message: str) -> HttpResponse:
    """After a change: the plain form goes back to the entry; htmx gets the entry's panel
    again, focused, with the message announced."""
    if not request.htmx:
        messages.success(request, message)
        return _redirect(entry.get_absolute_url())
    ctx = _entry_context(request, entry, announcement=message, focus=True)
    return render(request, "reporting/entry.html#entry-panel", ctx)


def _entry_refused(request: HttpRequest, entry: Entry, message: str, status: int) -> HttpResponse:
    ctx = _entry_context(request, entry, refusal=message)
    template = "reporting/entry.html" + ("#entry-panel" if request.htmx else "")
    return render(request, template, ctx, status=status)


def frozen_message() -> str:
    return _("This entry is approved and can no longer be changed. An editor can reopen it.")


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
@strategy_page
def entry(request: HttpRequest, strategy: Strategy | None, year: int, pk: int) -> HttpResponse:
    if request.method == "GET":
        the_entry = _get_entry(strategy, year, pk)
        if not the_entry.can_view(request.user):
            raise PermissionDenied
        template = "reporting/entry.html" + ("#entry-panel" if request.htmx else "")
        return render(request, template, _entry_context(request, the_entry))

    with transaction.atomic():
        the_entry = _get_entry(strategy, year, pk, lock=True)
        if not (Round.can_manage(request.user) or the_entry.is_owner(request.user)):
            raise PermissionDenied
        if not the_entry.can_write(request.user):
            return _entry_refused(request, the_entry, frozen_message(), 409)
        form = EntryForm(request.POST, instance=the_entry)
        if form.is_valid():
            the_entry = form.save()
            submit = request.POST.get("action") == "submit" and the_entry.can_submit(request.user)
            if submit:
                the_entry.submit(request.user)
    if form.errors:
        the_entry.refresh_from_db()
        status = 409 if form.is_conflict else 422
        template = "reporting/entry.html" + ("#entry-panel" if request.htmx else "")
        return render(
            request, template, _entry_context(request, the_entry, form=form), status=status
        )
    if submit:
        message = _("Your entry for %(code)s was submitted.") % {"code": the_entry.commitment.code}
    else:
        message = _("The entry for %(code)s was saved.") % {"code": the_entry.commitment.code}
    return _entry_saved(request, the_entry, message)


@login_required
@vary_on_headers("HX-Request")
@require_POST
@strategy_page
def entry_review(
    request: HttpRequest, strategy: Strategy | None, year: int, pk: int
) -> HttpResponse:
    """Return (with a comment), approve or reopen: an editor's, in a transaction that holds
    the entry, so two editors approving at once make one status update."""
    with transaction.atomic():
        the_entry = _get_entry(strategy, year, pk, lock=True)
        if not Round.can_manage(request.user):
            raise PermissionDenied
        form = ReviewForm(request.POST, prefix="review")
        if not form.is_valid():
            ctx = _entry_context(request, the_entry, review_form=form)
            template = "reporting/entry.html" + ("#entry-panel" if request.htmx else "")
            return render(request, template, ctx, status=422)
        action = form.cleaned_data["action"]
        allowed = the_entry.can_reopen if action == "reopen" else the_entry.can_review
        if not allowed(request.user):
            message = _("This entry is “%(state)s” now: reload the page to see what changed.") % {
                "state": the_entry.get_state_display()
            }
            return _entry_refused(request, the_entry, message, 409)
        code = the_entry.commitment.code
        if action == "return":
            the_entry.return_to_owner(request.user, form.cleaned_data["comment"])
            message = _("The entry for %(code)s was returned to the owner.") % {"code": code}
        elif action == "approve":
            the_entry.approve(request.user)
            message = _("The entry for %(code)s was approved.") % {"code": code}
        else:
            the_entry.reopen(request.user)
            message = _("The entry for %(code)s was reopened.") % {"code": code}
        if action in ("return", "approve"):
            # The owners' e-mail, once the change is committed, by the task worker: the
            # editor does not wait on SMTP.
            pk = the_entry.pk
            transaction.on_commit(lambda: entry_reviewed.enqueue(pk))
    return _entry_saved(request, the_entry, message)


@require_safe
@login_required
@strategy_page
def entry_history(
    request: HttpRequest, strategy: Strategy | None, year: int, pk: int
) -> HttpResponse:
    the_entry = _get_entry(strategy, year, pk)
    if not the_entry.can_view(request.user):
        raise PermissionDenied
    records = list(
        the_entry.history.select_related("history_user").order_by("-history_date", "-history_id")
    )
    ctx = {"entry": the_entry, "round": the_entry.round, "records": records}
    return render(request, "reporting/entry_history.html", ctx)


# --- The yearly report to the county council (Årsrapport) ----------------------------------


def _get_approved_round(strategy: Strategy | None, year: int) -> Round:
    """The year's round when its report is approved; 404 otherwise (the yearly report at
    /rapport/<year>/ stays the year's report until then)."""
    return get_object_or_404(
        Round.objects.report_approved().select_related("strategy"),
        strategy=_strategy(strategy),
        year=year,
    )


@require_safe
@strategy_page
def annual_report(request: HttpRequest, strategy: Strategy | None, year: int) -> HttpResponse:
    the_round = _get_approved_round(strategy, year)
    ctx = build_annual_report(the_round)
    return render(request, "reporting/annual_report.html", ctx)


@require_safe
@strategy_page
def annual_report_pdf(request: HttpRequest, strategy: Strategy | None, year: int):
    """The Årsrapport's PDF, built once per content version by a task (reporting/tasks.py),
    then served from its file. No request waits for a build: until the file is there the
    answer is a 202 page saying it is being made (with the immediate task backend, in
    development and tests, the build runs at once and the file is served)."""
    the_round = _get_approved_round(strategy, year)
    filename = annual.pdf_filename(the_round)
    key = annual.pdf_key(the_round)
    if key is None:
        # The content version cannot be read (the shared cache is down): no built file can
        # be trusted to be current, so this request builds it and nothing keeps it.
        address = request.build_absolute_uri(the_round.get_report_url())
        return pdf.pdf_response(annual.render_annual_report_pdf(the_round, address), filename)
    path = annual.built_pdf(key)
    if path is None:
        if annual.mark_queued(key):
            address = request.build_absolute_uri(the_round.get_report_url())
            build_annual_report_pdf.enqueue(the_round.pk, translation.get_language(), address)
        path = annual.built_pdf(key)
    if path is None:
        ctx = {"round": the_round, "strategy": the_round.strategy}
        response = render(request, "reporting/annual_report_pdf_pending.html", ctx, status=202)
        response["Retry-After"] = str(PDF_RETRY_SECONDS)
        response["Cache-Control"] = "no-store"
        return response
    return pdf.pdf_response(path.read_bytes(), filename)


def _round_report_context(request: HttpRequest, the_round: Round, **extra) -> dict:
    ctx = {
        "round": the_round,
        "strategy": the_round.strategy,
        "blockers": [] if the_round.report_is_approved else the_round.report_blockers(),
        "inline": bool(request.htmx),
    }
    if "form" not in extra and not the_round.report_is_approved:
        ctx["form"] = IntroductionForm(instance=the_round)
    return ctx | extra


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
@strategy_page
def round_report(request: HttpRequest, strategy: Strategy | None, year: int) -> HttpResponse:
    """The editors prepare the yearly report: write the introduction, approve the round as
    the report (Round.approve_report: every entry approved), or withdraw the approval."""
    template = "reporting/round_report.html" + ("#report-panel" if request.htmx else "")
    if request.method == "GET":
        the_round = _get_round(_strategy(strategy), year)
        if not Round.can_manage(request.user):
            raise PermissionDenied
        return render(request, template, _round_report_context(request, the_round))

    with transaction.atomic():
        the_round = get_object_or_404(
            Round.objects.select_for_update(of=("self",)).select_related("strategy"),
            strategy=_strategy(strategy),
            year=year,
        )
        if not Round.can_manage(request.user):
            raise PermissionDenied
        action = request.POST.get("action")
        form = IntroductionForm(request.POST, instance=the_round)
        refusal, status = [], 422
        if action not in ("save", "approve", "withdraw"):
            refusal = [_("Unknown action.")]
        elif action == "withdraw":
            if the_round.report_is_approved:
                the_round.withdraw_report(request.user)
            else:
                refusal, status = [_("The yearly report is not approved.")], 409
        elif the_round.report_is_approved:
            refusal = [_("The yearly report is approved: withdraw it before you change it.")]
            status = 409
        elif form.is_valid():
            the_round = form.save()
            if action == "approve":
                refusal, status = the_round.report_blockers(), 409
                if not refusal:
                    the_round.approve_report(request.user)
        refused = bool(refusal) or (action != "withdraw" and bool(form.errors))
        if refused:
            # Nothing half-saved: an introduction saved before a refused approval goes too.
            transaction.set_rollback(True)
    if refused:
        the_round.refresh_from_db()
        ctx = _round_report_context(request, the_round, refusal=refusal)
        if not the_round.report_is_approved and action in ("save", "approve"):
            ctx["form"] = form
        return render(request, template, ctx, status=status)
    message = {
        "save": _("The introduction was saved."),
        "approve": _("The yearly report for %(year)s was approved.") % {"year": year},
        "withdraw": _("The yearly report for %(year)s was withdrawn.") % {"year": year},
    }[action]
    if not request.htmx:
        messages.success(request, message)
        return _redirect(the_round.get_report_admin_url())
    ctx = _round_report_context(request, the_round, announcement=message, focus=True)
    return render(request, template, ctx)
