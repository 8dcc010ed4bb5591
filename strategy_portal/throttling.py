"""django-axes, the login throttling: what it is given of a failed sign-in."""

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
