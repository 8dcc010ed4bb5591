"""Form fields for input as it comes from a browser or a script."""

from django import forms
from django.core.exceptions import ValidationError

# Django hands an id to the database as it is: SQLite raises OverflowError for one beyond a
# 64-bit integer (a 500).


def fits_int64(value: int) -> bool:
    return -(2**63) <= value < 2**63


class IdsField(forms.ModelMultipleChoiceField):
    """Objects chosen by id. An id beyond a 64-bit integer is an invalid choice."""

    def _check_values(self, value):
        for pk in value if isinstance(value, list | tuple) else ():
            try:
                out_of_range = not fits_int64(int(pk))
            except (TypeError, ValueError):
                continue  # not a number: Django's own check says so
            if out_of_range:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": pk},
                )
        return super()._check_values(value)
