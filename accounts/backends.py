"""Password sign-in, which a configured provider can switch off for all but one account."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend


def password_sign_in_allowed(username: str) -> bool:
    """LOCAL_PASSWORDS off: only the break-glass admin (BREAK_GLASS_USERNAME) may use one."""
    if settings.LOCAL_PASSWORDS:
        return True
    return bool(settings.BREAK_GLASS_USERNAME) and username == settings.BREAK_GLASS_USERNAME


class PasswordBackend(ModelBackend):
    """Django's ModelBackend, for every password form (the sign-in page and /admin/ alike).

    A refused user is a failed attempt like a wrong password: django-axes counts it and locks
    as usual, and the answer does not tell whose password would have been right.
    """

    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and password_sign_in_allowed(user.get_username())
