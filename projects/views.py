"""The project register's pages: the list with filters, a page per project, and the staff's
forms to register and update projects.

As in the staff workspace (priorities/workspace.py), every form works without JavaScript: GET
gives a full page and a successful POST redirects (303). With htmx the same URLs answer with
fragments: the form in place, and after a save the list (or the project) again, focused; a form
with errors comes back with status 422 (409 for an edit conflict), which the htmx-config in
base.html swaps in place.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import reswap, retarget

from priorities.workspace import login_required

from .forms import ProjectFilterForm, ProjectForm
from .models import Project


def _list_context(request: HttpRequest, filters: ProjectFilterForm | None = None, **extra) -> dict:
    """The projects the user may see (internal ones for staff only), filtered, in a fixed
    number of queries."""
    user = request.user
    projects = Project.objects.visible_to(user)
    if filters is not None and filters.is_valid():
        projects = filters.filter(projects)
    projects = projects.select_related("programme").prefetch_related("partners", "organisations")
    return {
        "projects": list(projects),
        "filters": filters,
        "can_register": Project.can_register(user),
        "includes_internal": Project.objects.sees_internal(user),
        **extra,
    }


@require_safe
def project_list(request: HttpRequest) -> HttpResponse:
    filters = ProjectFilterForm(request.GET)
    ctx = _list_context(request, filters)
    return render(request, "projects/project_list.html", ctx, status=400 if filters.errors else 200)


def _get_visible(request: HttpRequest, slug: str) -> Project:
    """The project if the user may see it; 404 otherwise (an internal one is not found)."""
    return get_object_or_404(Project.objects.visible_to(request.user), slug=slug)


def _detail(project_slug: str):
    return (
        Project.objects.select_related("programme", "county", "created_by")
        .prefetch_related("partners", "organisations", "commitments__priority", "links")
        .get(slug=project_slug)
    )


@require_safe
@vary_on_headers("HX-Request")
def project(request: HttpRequest, slug: str) -> HttpResponse:
    _get_visible(request, slug)
    ctx = {"project": _detail(slug), "can_edit": Project.can_register(request.user)}
    if request.htmx and "cancel" in request.GET:
        ctx["focus"] = True
        return render(request, "projects/project.html#project-body", ctx)
    return render(request, "projects/project.html", ctx)


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest) -> HttpResponse:
    if not Project.can_register(request.user):
        raise PermissionDenied
    if request.htmx and "cancel" in request.GET:
        return render(request, "projects/project_list.html#register-button", {"focus": True})
    project = Project(created_by=request.user)
    if request.method == "POST":
        form = ProjectForm(request.POST, instance=project)
        if form.is_valid():
            with transaction.atomic():
                project = form.save()
            message = _("“%(name)s” was registered.") % {"name": project.name}
            if not request.htmx:
                messages.success(request, message)
                return HttpResponseRedirect(project.get_absolute_url(), status=303)
            ctx = _list_context(request, focus_project_pk=project.pk, announcement=message)
            response = render(request, "projects/project_list.html#list-saved", ctx)
            return reswap(retarget(response, "#project-results"), "outerHTML")
    else:
        form = ProjectForm(instance=project)
    ctx = {"form": form, "project": project, "inline": bool(request.htmx)}
    template = "projects/project_form.html" + ("#project-form" if request.htmx else "")
    return render(request, template, ctx, status=422 if form.errors else 200)


def _get_for_edit(request: HttpRequest, slug: str, *, lock: bool = False) -> Project:
    """The project if the user may update it; 404 if they may not see it, else 403."""
    queryset = Project.objects.visible_to(request.user)
    if lock:
        # Inside transaction.atomic: nobody else saves between our check and our write.
        queryset = queryset.select_for_update(of=("self",))
    project = get_object_or_404(queryset, slug=slug)
    if not project.can_edit(request.user):
        raise PermissionDenied
    return project


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, slug: str) -> HttpResponse:
    if request.method == "POST":
        with transaction.atomic():
            project = _get_for_edit(request, slug, lock=True)
            form = ProjectForm(request.POST, instance=project)
            if form.is_valid():
                project = form.save()
        if not form.errors:
            message = _("“%(name)s” was saved.") % {"name": project.name}
            if not request.htmx:
                messages.success(request, message)
                return HttpResponseRedirect(project.get_absolute_url(), status=303)
            ctx = {
                "project": _detail(project.slug),
                "can_edit": True,
                "focus": True,
                "announcement": message,
            }
            response = render(request, "projects/project.html#project-saved", ctx)
            return reswap(retarget(response, "#project-body"), "outerHTML")
        status = 409 if form.is_conflict else 422
        project.refresh_from_db()  # the heading names the project as saved, not as typed
    else:
        project = _get_for_edit(request, slug)
        form = ProjectForm(instance=project)
        status = 200
    ctx = {"form": form, "project": project, "inline": bool(request.htmx)}
    template = "projects/project_form.html" + ("#project-form" if request.htmx else "")
    return render(request, template, ctx, status=status)
