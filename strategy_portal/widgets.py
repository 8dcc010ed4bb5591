"""The admin's autocomplete widgets, looking up only values that could be ids.

Django's widgets look up whatever was posted when they show a refused form again ("abc" for
an id: ValueError, a 500).
"""

from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError

from .fields import fits_int64


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
        if not isinstance(python, int) or fits_int64(python):
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
