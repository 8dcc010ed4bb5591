"""Input the admin and django-axes take as it comes, checked before it reaches the database."""

import logging

from django import forms
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import BadRequest, FieldDoesNotExist, ValidationError
from django.core.validators import validate_ipv46_address
from django.db import DataError, models
from django.views.defaults import bad_request

logger = logging.getLogger("strategy_portal.security")

# django-axes keeps the username of every failed attempt in a 255-character column, and
# Django's sign-in forms do not limit the username's length on the server: a longer one made
# PostgreSQL refuse the row, and the sign-in page answered 500. No account has such a name;
# the cut name is still counted and locked like any other.
USERNAME_COLUMN_LENGTH = 255


def attempted_username(request, credentials: dict | None) -> str | None:
    """AXES_USERNAME_CALLABLE: the username as django-axes reads it, cut to fit its column."""
    source = credentials or getattr(request, "data", request.POST)
    username = source.get("username")
    return username[:USERNAME_COLUMN_LENGTH] if isinstance(username, str) else username


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


# --- Ids of related objects ------------------------------------------------------------------
# Django hands an id to the database as it is: SQLite raises OverflowError for one beyond a
# 64-bit integer (a 500), and the admin's autocomplete widgets look up whatever was posted when
# they show a refused form again ("abc" for an id: ValueError, a 500).


def _fits_int64(value: int) -> bool:
    return -(2**63) <= value < 2**63


class IdsField(forms.ModelMultipleChoiceField):
    """Objects chosen by id. An id beyond a 64-bit integer is an invalid choice."""

    def _check_values(self, value):
        for pk in value if isinstance(value, list | tuple) else ():
            try:
                out_of_range = not _fits_int64(int(pk))
            except (TypeError, ValueError):
                continue  # not a number: Django's own check says so
            if out_of_range:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)


def _readable_keys(db_field, values) -> list:
    """The posted values that could be keys of `db_field`'s related objects."""
    remote = db_field.remote_field
    opts = remote.model._meta
    key = opts.get_field(getattr(remote, "field_name", None) or opts.pk.name)
    readable = []
    for value in values:
        try:
            python = key.to_python(value)
        except ValidationError:
            continue
        if not isinstance(python, int) or _fits_int64(python):
            readable.append(value)
    return readable


class ReadableKeysOnly:
    """For the admin's autocomplete widgets: look up only the values that could be ids."""

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, _readable_keys(self.field, value), attr)


class SafeAutocompleteSelect(ReadableKeysOnly, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(ReadableKeysOnly, AutocompleteSelectMultiple):
    pass


class SafeRelationsAdmin:
    """For every ModelAdmin and inline of the portal: related objects chosen by id are checked
    as ids before anything looks them up, so a refused form is shown again, never a 500."""

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
