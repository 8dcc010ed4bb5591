"""The import of activities from the yearly report's spreadsheet format (CSV or XLSX).

Upload, dry run, confirm: nothing is saved before the editor confirms the dry run.
The format itself, and the reading and checking of rows, are in exchange.py.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from counties.models import County

from . import exchange
from .models import Activity, Strategy

IMPORT_SESSION_KEY = "activity_import"


def _import_page(request: HttpRequest, strategy, *, status: int = 200, **ctx) -> HttpResponse:
    ctx = {
        "strategy": strategy,
        "columns": exchange.COLUMNS,
        "kinds": Activity.Kind.choices,
        "counties": County.objects.all(),
        "max_mb": exchange.MAX_UPLOAD_BYTES // (1024 * 1024),
        "max_rows": exchange.MAX_ROWS,
        "years": strategy.report_years() if strategy else [],
        **ctx,
    }
    return render(request, "priorities/import.html", ctx, status=status)


@login_required
@permission_required("priorities.change_activity", raise_exception=True)
def import_activities(request: HttpRequest) -> HttpResponse:
    """Upload → dry run (plan kept in the session) → confirm; nothing saved before confirm."""
    strategy = Strategy.objects.current()
    if request.method == "GET":
        return _import_page(request, strategy)
    if request.method != "POST":
        return HttpResponse(status=405, headers={"Allow": "GET, POST"})
    if strategy is None:
        return _import_page(request, strategy, status=409, file_error=_("No strategy is loaded."))

    # Refuse an oversize body before reading it; the upload's own size is checked below too.
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if declared.isdigit() and int(declared) > exchange.MAX_UPLOAD_BYTES + 64 * 1024:
        return _too_large(request, strategy)
    if request.POST.get("action") == "confirm":
        return _confirm_import(request, strategy)
    upload = request.FILES.get("file")
    if upload is None:
        return _import_page(request, strategy, status=400, file_error=_("Choose a file to upload."))
    if upload.size > exchange.MAX_UPLOAD_BYTES:
        return _too_large(request, strategy)
    try:
        table = exchange.read_table(upload.name, upload.read())
    except exchange.ImportFileError as problem:
        return _import_page(request, strategy, status=400, file_error=problem.message)

    plan = exchange.build_plan(table, strategy=strategy)
    if not plan.is_valid:
        request.session.pop(IMPORT_SESSION_KEY, None)
        return _import_page(request, strategy, status=422, plan=plan, filename=upload.name)
    # The validated rows wait in the (server-side) session for the editor's confirmation.
    request.session[IMPORT_SESSION_KEY] = {
        "filename": upload.name,
        "table": table,
        "digest": plan.digest(),
    }
    return _import_page(request, strategy, plan=plan, filename=upload.name)


def _too_large(request: HttpRequest, strategy) -> HttpResponse:
    message = _("The file is larger than %(max)d MB; split it into smaller files.") % {
        "max": exchange.MAX_UPLOAD_BYTES // (1024 * 1024)
    }
    return _import_page(request, strategy, status=413, file_error=message)


def _confirm_import(request: HttpRequest, strategy) -> HttpResponse:
    pending = request.session.get(IMPORT_SESSION_KEY)
    if not pending or request.POST.get("digest") != pending.get("digest"):
        return _import_page(
            request,
            strategy,
            status=409,
            file_error=_("This dry run is no longer current. Upload the file again."),
        )
    plan = exchange.build_plan(pending["table"], strategy=strategy)
    if not plan.is_valid or plan.digest() != pending["digest"]:
        # The data changed since the dry run: show the new plan instead of applying the old.
        if plan.is_valid:
            pending["digest"] = plan.digest()
            request.session[IMPORT_SESSION_KEY] = pending
        else:
            request.session.pop(IMPORT_SESSION_KEY, None)
        return _import_page(
            request,
            strategy,
            status=409,
            plan=plan,
            filename=pending["filename"],
            file_error=_("The activities changed since the dry run. Check the new dry run."),
        )
    exchange.apply_plan(plan, user=request.user)
    request.session.pop(IMPORT_SESSION_KEY, None)
    messages.success(
        request,
        _("Imported %(file)s: %(created)d added, %(updated)d changed, %(unchanged)d unchanged.")
        % {
            "file": pending["filename"],
            "created": plan.created,
            "updated": plan.updated,
            "unchanged": plan.unchanged,
        },
    )
    return redirect("priorities:import")
