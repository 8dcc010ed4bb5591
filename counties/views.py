from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.utils.csp import CSP, build_policy
from django.views.decorators.http import condition, require_safe

from .models import County

YEAR = 365 * 24 * 3600

# An SVG opened on its own is a document: nothing in it may run or load anything.
LOGO_CSP = {
    "default-src": [CSP.NONE],
    "style-src": [CSP.UNSAFE_INLINE],
    "sandbox": True,
    "frame-ancestors": [CSP.NONE],
}


def _logo_etag(request: HttpRequest, slug: str, extension: str) -> str | None:
    county = County.objects.filter(slug=slug).values_list("logo_hash", flat=True).first()
    return county or None


@require_safe
@condition(etag_func=_logo_etag)
def logo(request: HttpRequest, slug: str, extension: str) -> HttpResponse:
    county = get_object_or_404(County, slug=slug)
    expected = "svg" if county.logo_type == County.LogoType.SVG else "png"
    if not county.has_logo or extension != expected:
        raise Http404
    response = HttpResponse(bytes(county.logo), content_type=county.logo_type)
    response["X-Content-Type-Options"] = "nosniff"
    # Set here, not with csp_override: a page cache hit carries the headers set below it.
    response[CSP.HEADER_ENFORCE] = build_policy(LOGO_CSP)
    # The page links the logo with its hash (County.logo_url): that URL never changes content.
    if request.GET.get("v") == county.logo_hash[:16]:
        patch_cache_control(response, public=True, max_age=YEAR, immutable=True)
    else:
        patch_cache_control(response, public=True, max_age=300)
    return response
