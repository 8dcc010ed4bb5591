"""The admin, guarded against input the database cannot read: a 400 (or the form again),
never a 500.

AdminQueryGuard checks the query strings of admin lists; SafeRelationsAdmin checks related
objects chosen by id in every admin form.
"""

import logging

from django.core.exceptions import BadRequest, FieldDoesNotExist, ValidationError
from django.core.validators import validate_ipv46_address
from django.db import DataError, models
from django.views.defaults import bad_request

from .fields import IdsField
from .widgets import SafeAutocompleteSelect, SafeAutocompleteSelectMultiple

logger = logging.getLogger("strategy_portal.admin_guard")


def _is_admin_view(view_func) -> bool:
    # AdminSite and ModelAdmin mark the views they wrap.
    return hasattr(view_func, "admin_site") or hasattr(view_func, "model_admin")


# Lookups that compare an address column with the value as an address (startswith and the
# like compare text, and take any text).
ADDRESS_LOOKUPS = {"", "exact", "gt", "gte", "lt", "lte", "in"}


def _check_address_filter(model, key: str, values: list[str]) -> None:
    """BadRequest for a filter on an IP-address column with a value that is no address.

    psycopg refuses such a value as it builds the query (ValueError), and PostgreSQL's inet type
    would refuse it too: either way a 500.
    """
    name, _, lookup = key.partition("__")
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return
    if not isinstance(field, models.GenericIPAddressField) or lookup not in ADDRESS_LOOKUPS:
        return
    for value in values:
        for address in value.split(",") if lookup == "in" else [value]:
            try:
                validate_ipv46_address(address)
            except ValidationError:
                raise BadRequest(f"Not an IP address: {key}") from None


class AdminQueryGuard:
    """A 400, not a 500, for an admin list asked for with a query string the database refuses.

    The admin filters and searches with the query string as it is:
    - PostgreSQL cannot compare text with a NUL byte (DataError), so a NUL byte is refused
      before the view runs (the site's own views read their parameters through forms, which
      refuse NUL already);
    - a filter on an IP-address column (django-axes' lists) with a value that is no address,
      such as ``ip_address=abc``, is refused before the view runs;
    - any other value the database refuses as it reads the list (DataError) is answered as a
      bad request too, from a GET only: nothing is written by a GET.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not _is_admin_view(view_func):
            return None
        request.is_admin_view = True
        model_admin = getattr(view_func, "model_admin", None)
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                raise BadRequest("A NUL byte in the query string.")
            if model_admin is not None:
                _check_address_filter(model_admin.model, key, values)
        return None

    def process_exception(self, request, exception):
        if (
            isinstance(exception, DataError)
            and request.method in ("GET", "HEAD")
            and getattr(request, "is_admin_view", False)
        ):
            logger.warning(
                "admin query refused by the database",
                extra={"path": request.path, "error": str(exception).strip()[:200]},
            )
            return bad_request(request, BadRequest(str(exception)))
        return None


class SafeRelationsAdmin:
    """For every ModelAdmin and inline of the portal: related objects chosen by id are checked
    as ids before anything looks them up, so a refused form is shown again, never a 500."""

    def render_change_form(self, request, context, *args, **kwargs):
        # A refused form is shown again with its messages under a 422, as the portal's own
        # forms do (planning/views.py), not a 200 that reads as success to a client or a test.
        response = super().render_change_form(request, context, *args, **kwargs)
        # "errors": the form's and its inlines' (admin.helpers.AdminErrorList).
        if request.method == "POST" and context.get("errors"):
            response.status_code = 422
        return response

    def to_field_allowed(self, request, to_field):
        # ?_to_field= names a field to refer to; Django looks it up with get_field(), which
        # also finds the hidden reverse relations ("+": related_name="+", simple_history's) and
        # then fails on them (no primary_key): a 500. Only a concrete field can be referred to.
        try:
            field = self.opts.get_field(to_field)
        except FieldDoesNotExist:
            return False
        if not getattr(field, "concrete", False):
            return False
        return super().to_field_allowed(request, to_field)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        kwargs.setdefault("form_class", IdsField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)
