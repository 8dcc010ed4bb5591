from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .models import PortalOwner


def portal_owner(request: HttpRequest) -> dict:
    """The portal's owner for every page: one query, made only by a page that shows it."""
    return {"portal_owner": SimpleLazyObject(PortalOwner.objects.get_owner)}
