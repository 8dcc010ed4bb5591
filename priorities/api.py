"""Read-only open data in JSON, described by the OpenAPI document in priorities/openapi.py.

Public data only, whoever asks: even a signed-in editor gets no internal activity here.
Texts that exist in several languages come as {"nb": …, "nn": …, "en": …}.
"""

from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.db.models import Count, Prefetch
from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_safe

from partners.models import BilateralPartner, Organisation, Programme, Seat

from .models import Activity, Commitment, Status, Strategy
from .openapi import openapi_document
from .search import ActivitySearchForm

API_PAGE_SIZE = 50
LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
# Where strategy_portal/urls.py mounts priorities/api_urls.py.
API_PREFIX = "/api/"
READ_METHODS = ("GET", "HEAD")


def _json(data, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    # Open data: any web page may read it (there are no cookies or secrets in it).
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _error(status: int, detail: str, errors: dict | None = None) -> JsonResponse:
    body = {"detail": detail}
    if errors is not None:
        body["errors"] = errors
    return _json(body, status=status)


def _translated(obj, name: str) -> dict:
    # Missing translations fall back to bokmål, as on the site.
    fallback = getattr(obj, f"{name}_{settings.MODELTRANSLATION_DEFAULT_LANGUAGE}") or ""
    return {code: getattr(obj, f"{name}_{code}", None) or fallback for code in LANGUAGES}


def _labels(choices) -> list[dict]:
    labels = []
    for value, label in choices:
        texts = {}
        for code in LANGUAGES:
            with translation.override(code):
                texts[code] = str(label)
        labels.append({"value": value, "label": texts})
    return labels


def _page_url(request: HttpRequest, path: str) -> str:
    # Links into the site are given in bokmål, the site's unprefixed default.
    return request.build_absolute_uri(path)


def _reverse_nb(name: str, *args) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(name, args=args)


def _in_nb(get_url) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return get_url()


def _strategy_of(request: HttpRequest) -> Strategy | None:
    """The strategy the query's `strategy` (a slug) names; without one the current strategy.
    An unknown slug raises BadStrategy (a 400)."""
    slug = request.GET.get("strategy", "")
    if not slug:
        return Strategy.objects.current()
    for strategy in Strategy.objects.in_order():
        if strategy.slug == slug:
            return strategy
    raise BadStrategy(slug)


class BadStrategy(Exception):
    def response(self) -> JsonResponse:
        slugs = ", ".join(s.slug for s in Strategy.objects.in_order())
        message = f"There is no strategy {self.args[0]!r}; the strategies are: {slugs}."
        return _error(400, "Invalid query parameters.", {"strategy": [message]})


def _strategy_data(request: HttpRequest, strategy: Strategy) -> dict:
    """What /api/strategies/ lists of each, and /api/strategy/ gives before the tree."""
    with translation.override(settings.LANGUAGE_CODE):
        url = strategy.get_absolute_url()
    return {
        "slug": strategy.slug,
        "title": _translated(strategy, "title"),
        "county": strategy.county.slug if strategy.county else None,
        "period_start": strategy.period_start,
        "period_end": strategy.period_end,
        "is_current": strategy.is_front,
        "is_archived": strategy.is_archived,
        "url": _page_url(request, url),
    }


@require_safe
def strategies(request: HttpRequest) -> JsonResponse:
    """Every strategy of the portal, the current one first."""
    rows = Strategy.objects.select_related("county").order_by("-is_current", "-adopted_on", "-pk")
    return _json({"results": [_strategy_data(request, s) for s in rows]})


@require_safe
def strategy(request: HttpRequest) -> JsonResponse:
    try:
        strategy = _strategy_of(request)
    except BadStrategy as error:
        return error.response()
    if strategy is None:
        return _error(404, "No strategy has been loaded.")
    commitments = (
        Commitment.objects.of_strategy(strategy)
        .select_related("priority__strategy")
        .with_public_stats()
        .with_status(county=True)
    )
    priorities = {}
    for commitment in commitments:
        priority = commitment.priority
        entry = priorities.setdefault(
            priority.pk,
            {
                "number": priority.number,
                "slug": priority.slug,
                "title": _translated(priority, "title"),
                "url": _page_url(request, _in_nb(priority.get_absolute_url)),
                "commitments": [],
            },
        )
        status = None
        if commitment.current_status_value:
            status = {
                "value": commitment.current_status_value,
                "assessment": commitment.current_assessment,
                "date": commitment.current_status_at.isoformat(),
                "is_example": bool(commitment.current_status_is_example),
                "county": commitment.current_status_county,
            }
        entry["commitments"].append(
            {
                "code": commitment.code,
                "number": commitment.number,
                "text": _translated(commitment, "text"),
                "url": _page_url(request, _in_nb(commitment.get_absolute_url)),
                "status": status,
                "public_activity_count": commitment.public_activity_count,
                "last_public_activity_on": commitment.last_public_activity_on.isoformat()
                if commitment.last_public_activity_on
                else None,
            }
        )
    data = {
        **_strategy_data(request, strategy),
        "adopted_by": _translated(strategy, "adopted_by"),
        "adopted_on": strategy.adopted_on.isoformat(),
        "purpose": _translated(strategy, "purpose"),
        "sdg_statement": _translated(strategy, "sdg_statement"),
        "decision": {
            "body": strategy.decision_body,
            "date": strategy.decision_date.isoformat() if strategy.decision_date else None,
            "case_number": strategy.decision_case_number,
            "url": strategy.decision_url or None,
        },
        "statuses": _labels(Status.choices),
        "activity_kinds": _labels(Activity.Kind.choices),
        "priorities": list(priorities.values()),
    }
    return _json(data)


def activity_data(request: HttpRequest, activity: Activity) -> dict:
    return {
        "id": activity.pk,
        "url": _page_url(request, _reverse_nb("priorities:activity", activity.pk)),
        "title": activity.title,
        "kind": activity.kind,
        "start_date": activity.start_date.isoformat(),
        "end_date": activity.end_date.isoformat() if activity.end_date else None,
        "place": activity.place,
        "country": activity.country.code or None,
        "description": activity.description,
        "outcome": activity.outcome,
        "commitment": activity.commitment.code,
        "priority": activity.commitment.priority.slug,
        # with_relations() lists them.
        "partners": sorted(p.slug for p in activity.linked_partners),
        "organisations": sorted(o.slug for o in activity.linked_organisations),
        "programme": activity.programme.slug if activity.programme else None,
        "county": activity.county.slug if activity.county else None,
        "measure": activity.public_measure_title or None,
        "link": activity.url or None,
        "is_example": activity.is_example,
        "visit": visit_data(activity),
        "created_at": activity.created_at.isoformat(),
        "updated_at": activity.updated_at.isoformat(),
    }


def visit_data(activity: Activity) -> dict | None:
    """A public visit's public facts: the cost only where Visit.cost_visible_to() allows it
    to anyone, others among the participants by their organisation only."""
    visit = getattr(activity, "visit", None) if activity.is_visit else None
    if visit is None:
        return None
    return {
        "direction": visit.direction,
        "purpose": visit.purpose,
        "follow_up": visit.follow_up,
        "cost": f"{visit.cost:.2f}" if visit.cost_visible_to(None) else None,
        "participants": [
            {
                "role": p.role,
                "name": p.public_name,
                "title": p.title,
                "organisation": p.organisation,
            }
            for p in visit.listed_participants
        ],
    }


@require_safe
def activities(request: HttpRequest) -> JsonResponse:
    """Public activities of one strategy (the current one unless `strategy` names another),
    newest first (best match first with q), with the search's filters."""
    try:
        strategy = _strategy_of(request)
    except BadStrategy as error:
        return error.response()
    form = ActivitySearchForm(request.GET, strategy=strategy)
    if not form.is_valid():
        errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
        return _error(400, "Invalid query parameters.", errors)
    found = (
        form.filter(Activity.objects.public().of_strategy(strategy))
        .with_relations()
        .select_related("measure")
    )
    paginator = Paginator(found, API_PAGE_SIZE)
    number = form.cleaned_data["page"] or 1
    try:
        page = paginator.page(number)
    except EmptyPage:
        return _error(404, f"There is no page {number}; the last page is {paginator.num_pages}.")

    def link(to: int) -> str:
        query = request.GET.copy()
        query["page"] = to
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    data = {
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "page_size": API_PAGE_SIZE,
        "next": link(page.next_page_number()) if page.has_next() else None,
        "previous": link(page.previous_page_number()) if page.has_previous() else None,
        "results": [activity_data(request, a) for a in page.object_list],
    }
    return _json(data)


PUBLIC_ACTIVITIES = Count("activities", filter=Activity.objects.visible_q(prefix="activities"))


@require_safe
def partners(request: HttpRequest) -> JsonResponse:
    rows = (
        BilateralPartner.objects.select_related("coordinated_through")
        .prefetch_related("held_by")
        .annotate(public_activity_count=PUBLIC_ACTIVITIES)
    )
    data = [
        {
            "slug": p.slug,
            "name": _translated(p, "name"),
            "country": p.country.code,
            "cooperation_since": p.cooperation_since,
            "themes": _translated(p, "themes"),
            "agreement": _translated(p, "agreement"),
            "agreement_signed": p.agreement_signed.isoformat() if p.agreement_signed else None,
            "agreement_expires": p.agreement_expires.isoformat() if p.agreement_expires else None,
            "coordinated_through": p.coordinated_through.slug if p.coordinated_through else None,
            "website": p.website or None,
            "active": p.active,
            "held_by": sorted(county.slug for county in p.held_by.all()),
            "url": _page_url(request, _reverse_nb("partners:partner", p.slug)),
            "public_activity_count": p.public_activity_count,
        }
        for p in rows
    ]
    return _json({"results": data})


@require_safe
def organisations(request: HttpRequest) -> JsonResponse:
    rows = (
        Organisation.objects.select_related("via")
        .prefetch_related("held_by", Prefetch("seats", Seat.objects.with_state()))
        .annotate(public_activity_count=PUBLIC_ACTIVITIES)
    )
    data = [
        {
            "slug": o.slug,
            "name": _translated(o, "name"),
            "short_name": o.short_name,
            "kind": o.kind,
            "via": o.via.slug if o.via else None,
            "member_since": o.member_since,
            "member_until": o.member_until,
            "seats_and_role": _translated(o, "seats_and_role"),
            "purpose": _translated(o, "purpose"),
            "website": o.website or None,
            "active": o.active,
            "held_by": sorted(county.slug for county in o.held_by.all()),
            "url": _page_url(request, _reverse_nb("partners:organisation", o.slug)),
            "public_activity_count": o.public_activity_count,
            "seats": [_seat(seat) for seat in o.seats.all()],
        }
        for o in rows
    ]
    return _json({"results": data})


def _seat(seat: Seat) -> dict:
    return {
        "body": _translated(seat, "body"),
        "role": seat.role,
        "representative": seat.representative,
        "deputy": seat.deputy,
        "term_start": seat.term_start.isoformat(),
        "term_end": seat.term_end.isoformat() if seat.term_end else None,
        "current": seat.is_current,
        "is_example": seat.is_example,
    }


@require_safe
def programmes(request: HttpRequest) -> JsonResponse:
    rows = Programme.objects.annotate(public_activity_count=PUBLIC_ACTIVITIES)
    data = [
        {
            "slug": p.slug,
            "name": _translated(p, "name"),
            "short_name": p.short_name,
            "period_start": p.period_start,
            "period_end": p.period_end,
            "website": p.website or None,
            "public_activity_count": p.public_activity_count,
        }
        for p in rows
    ]
    return _json({"results": data})


@require_safe
def openapi(request: HttpRequest) -> JsonResponse:
    # The filters' valid values (slugs, codes, years) are the search form's, from the database.
    form = ActivitySearchForm(strategy=Strategy.objects.current())
    return _json(openapi_document(form, strategies=Strategy.objects.in_order()))


class OpenDataMiddleware:
    """Under /api/ only GET and HEAD are served, and every refusal is JSON.

    The API is read-only, so another method is refused here with a 405, before
    CsrfViewMiddleware would refuse it (an unsafe method without a token) with its HTML 403
    page: the request never reaches a view, so nothing needs csrf_exempt, and the API has
    nothing for CSRF to protect (it reads no cookie and changes nothing). A 4xx that Django
    answered in HTML (a path that matches no view: 404; a bad Host: 400) is given in JSON.
    A 5xx stays the site's page (or, with DEBUG, Django's traceback).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        if request.method not in READ_METHODS:
            detail = f"The method {request.method} is not allowed: the API is read-only."
            response = _error(405, detail)
            response["Allow"] = ", ".join(READ_METHODS)
            return response
        response = self.get_response(request)
        if 400 <= response.status_code < 500 and response.get("Content-Type") != "application/json":
            return _error(response.status_code, response.reason_phrase)
        return response
