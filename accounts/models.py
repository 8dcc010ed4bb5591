"""Who a user is at the county's identity provider (OpenID Connect)."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from priorities.roles import EDITOR_GROUP, STAFF_GROUP, ensure_roles

# The portal's roles as the provider's groups give them (settings OIDC_GROUPS_*). Staff and
# editor are the Django groups of priorities/roles.py; admin is is_staff + is_superuser.
ADMIN_ROLE = "admin"


class NoPortalRole(Exception):
    """The provider vouched for the person, but none of their groups gives a portal role."""


def _claim(claims: dict, name: str, max_length: int) -> str:
    """A text claim cut to fit its column; anything else (absent, a list, a number) is ""."""
    value = claims.get(name)
    return value.strip()[:max_length] if isinstance(value, str) else ""


class ExternalIdentity(models.Model):
    """A user as the provider knows them: its issuer and its stable subject id ("sub").

    Found by the subject, never by e-mail: an address can change hands or be reused, a
    subject cannot. One identity per user; local users (the break-glass admin) have none.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="external_identity",
        verbose_name=_("user"),
    )
    issuer = models.CharField(_("issuer"), max_length=255)
    subject = models.CharField(_("subject"), max_length=255)
    created = models.DateTimeField(_("first sign-in"), auto_now_add=True)
    last_sign_in = models.DateTimeField(_("last sign-in"), default=timezone.now)

    class Meta:
        verbose_name = _("external identity")
        verbose_name_plural = _("external identities")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="unique_external_subject")
        ]

    def __str__(self) -> str:
        return f"{self.subject} @ {self.issuer}"

    @classmethod
    def sign_in(cls, claims: dict, roles: set[str]):
        """The user for verified ID token claims, made on the first sign-in and brought in
        step with the claims (name, e-mail, roles) on every one.

        Raises NoPortalRole when `roles` is empty: a known user then loses every role it had,
        and no user is made for an unknown one.
        """
        issuer, subject = claims["iss"], claims["sub"]
        try:
            with transaction.atomic():
                identity = (
                    cls.objects.select_for_update()
                    .select_related("user")
                    .filter(issuer=issuer, subject=subject)
                    .first()
                )
                if identity is None and not roles:
                    raise NoPortalRole(subject)
                if identity is None:
                    identity = cls._create(claims)
                identity.last_sign_in = timezone.now()
                identity.save(update_fields=["last_sign_in"])
                identity.sync_user(claims, roles)
        except IntegrityError:
            # The same person's first sign-in in two tabs at once: the other one made it.
            identity = cls.objects.select_related("user").get(issuer=issuer, subject=subject)
            identity.sync_user(claims, roles)
        if not roles:
            raise NoPortalRole(subject)
        return identity.user

    @classmethod
    def _create(cls, claims: dict) -> "ExternalIdentity":
        from django.contrib.auth import get_user_model

        User = get_user_model()
        length = User._meta.get_field("username").max_length
        base = (
            _claim(claims, "preferred_username", length)
            or _claim(claims, "email", length)
            or str(claims["sub"])[:length]
        )
        username, n = base, 1
        while User.objects.filter(username=username).exists():
            n += 1
            username = f"{base[: length - len(str(n)) - 1]}-{n}"
        user = User(username=username)
        # Only the provider signs this user in: the password form never can.
        user.set_unusable_password()
        user.save()
        return cls.objects.create(user=user, issuer=claims["iss"], subject=claims["sub"])

    def sync_user(self, claims: dict, roles: set[str]) -> None:
        """Name, e-mail and roles as the provider says now; a role no group gives is taken."""
        user = self.user
        first = _claim(claims, "given_name", 150)
        last = _claim(claims, "family_name", 150)
        if not (first or last):
            first, _space, last = _claim(claims, "name", 301).rpartition(" ")
            if not first:
                first, last = last, ""
        user.first_name, user.last_name = first[:150], last[:150]
        user.email = _claim(claims, "email", 254)
        user.is_staff = user.is_superuser = ADMIN_ROLE in roles
        user.save()
        ensure_roles()
        portal_groups = Group.objects.filter(name__in=[STAFF_GROUP, EDITOR_GROUP])
        user.groups.remove(*[group for group in portal_groups if group.name not in roles])
        user.groups.add(*[group for group in portal_groups if group.name in roles])


class Profile(models.Model):
    """A person's own settings: the language e-mails to them are written in, and whether they
    get the weekly digest. A user without a row has the defaults (Profile.of)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="profile",
        verbose_name=_("user"),
    )
    language = models.CharField(
        # Each language by its own name, as the site's language menu shows them.
        _("language of e-mails"),
        max_length=2,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    weekly_digest = models.BooleanField(
        _("weekly digest"),
        default=True,
        help_text=_(
            "A weekly e-mail about your commitments going quiet. Reminders of deadlines are "
            "always sent."
        ),
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return str(self.user)

    @classmethod
    def of(cls, user) -> "Profile":
        """The user's profile, unsaved with the defaults if they have none yet."""
        try:
            return user.profile
        except cls.DoesNotExist:
            return cls(user=user)
