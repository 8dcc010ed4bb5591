"""Template context for every page, registered in settings.TEMPLATES."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .demo import demo_data_loaded


def demo(request: HttpRequest) -> dict:
    """demo_data_loaded for the banner in base.html: lazy, so that a page whose banner comes
    from the cache (template tag cachedfragment, under the content version) asks nothing."""
    return {"demo_data_loaded": SimpleLazyObject(demo_data_loaded)}
