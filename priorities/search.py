"""Activity search: the filter form, full-text search and the search page.

The API's activity list uses the same form and filters (priorities/api.py).
"""

from django import forms
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import SimpleLazyObject
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from partners.models import BilateralPartner, Organisation, Programme

from .forms import county_filter
from .models import Activity, Commitment, Priority, Strategy
from .views import strategy_page

PAGE_SIZE = 20
SEARCH_CONFIG = "norwegian"
# More matches than this are listed newest first instead of best first (see full_text()).
RANK_LIMIT = 500
# The fields searched, with their weight in the ranking (A counts most).
SEARCH_FIELDS = (("title", "A"), ("place", "B"), ("description", "C"), ("outcome", "C"))


def search_vector() -> SearchVector:
    """The tsvector searched on PostgreSQL; a GIN index on this expression makes it fast."""
    vector = None
    for name, weight in SEARCH_FIELDS:
        part = SearchVector(name, weight=weight, config=SEARCH_CONFIG)
        vector = part if vector is None else vector + part
    return vector


def full_text(activities, text: str):
    """Activities matching `text`, best first.

    PostgreSQL: Norwegian stemming ("samarbeidsprosjekt" finds "samarbeidsprosjektene") with
    web-search syntax ("quoted phrase", or, -word) and ranking. Ranking computes every match's
    tsvector again (the GIN index finds the matches but does not hold their vectors), so only
    up to RANK_LIMIT matches are ranked; more are listed newest first (see is_ranked()).
    Elsewhere (SQLite in development): every word must occur in one of the fields, newest
    first.
    """
    if connections[activities.db].vendor == "postgresql":
        query = SearchQuery(text, config=SEARCH_CONFIG, search_type="websearch")
        vector = search_vector()
        matches = activities.alias(search=vector).filter(search=query)
        # Counting at most RANK_LIMIT + 1 matches stays cheap however many there are.
        if matches.order_by()[: RANK_LIMIT + 1].count() > RANK_LIMIT:
            return matches
        return matches.annotate(rank=SearchRank(vector, query)).order_by(
            "-rank", "-start_date", "-pk"
        )
    for word in text.split():
        matches = Q()
        for name, _weight in SEARCH_FIELDS:
            matches |= Q(**{f"{name}__icontains": word})
        activities = activities.filter(matches)
    return activities


def is_ranked(activities) -> bool:
    """Whether full_text() ordered `activities` best match first."""
    return "rank" in activities.query.annotations


class ActivitySearchForm(forms.Form):
    """Every filter of the search page and the API; invalid input never reaches a query."""

    q = forms.CharField(label=_("Search words"), required=False, max_length=200)
    priority = forms.ModelChoiceField(
        label=_("Priority area"),
        queryset=Priority.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("All priority areas"),
    )
    commitment = forms.ChoiceField(label=_("Commitment"), required=False)
    partner = forms.ModelChoiceField(
        label=_("Bilateral partner"),
        queryset=BilateralPartner.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All partners"),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation or arena"),
        queryset=Organisation.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All organisations"),
    )
    programme = forms.ModelChoiceField(
        label=_("EU programme"),
        queryset=Programme.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All programmes"),
    )
    county = county_filter()
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All kinds")), *Activity.Kind.choices],
    )
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    page = forms.IntegerField(label=_("Page"), required=False, min_value=1, max_value=100_000)

    def __init__(self, *args, strategy: Strategy | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_many_to_rank = False
        self.commitments = {}
        years = []
        if strategy is not None:
            self.fields["priority"].queryset = strategy.priorities.all()
            self.commitments = {
                c.code: c
                for c in Commitment.objects.filter(priority__strategy=strategy).select_related(
                    "priority"
                )
            }
            years = strategy.report_years()
        self.fields["commitment"].choices = [("", _("All commitments"))] + [
            (code, f"{code} {Truncator(c.text).chars(70)}") for code, c in self.commitments.items()
        ]
        self.fields["year"].choices = [("", _("All years"))] + [(y, str(y)) for y in years]

    def clean_commitment(self) -> Commitment | None:
        code = self.cleaned_data["commitment"]
        return self.commitments.get(code) if code else None

    def filter(self, activities):
        """Apply the cleaned filters to `activities`; call only when the form is valid."""
        data = self.cleaned_data
        if data["priority"]:
            activities = activities.filter(commitment__priority=data["priority"])
        if data["commitment"]:
            activities = activities.filter(commitment=data["commitment"])
        if data["partner"]:
            activities = activities.filter(partners=data["partner"])
        if data["organisation"]:
            activities = activities.filter(organisations=data["organisation"])
        if data["programme"]:
            activities = activities.filter(programme=data["programme"])
        activities = activities.for_county(data["county"])
        if data["kind"]:
            activities = activities.filter(kind=data["kind"])
        if data["year"]:
            activities = activities.for_year(data["year"])
        activities = activities.order_by("-start_date", "-pk")
        if data["q"].strip():
            activities = full_text(activities, data["q"].strip())
            # Too many matches to rank on PostgreSQL: the page says they are newest first.
            ranks = connections[activities.db].vendor == "postgresql"
            self.too_many_to_rank = ranks and not is_ranked(activities)
        return activities

    @property
    def is_filtered(self) -> bool:
        return any(
            value not in (None, "") for name, value in self.cleaned_data.items() if name != "page"
        )


@require_safe
@vary_on_headers("HX-Request")
@strategy_page
def search(request: HttpRequest, strategy: Strategy | None) -> HttpResponse:
    form = ActivitySearchForm(request.GET, strategy=strategy)
    page = None
    if form.is_valid():

        def results():
            # Staff see internal activities too (marked); everyone else public ones only.
            # The strategy's own only.
            visible = Activity.objects.visible_to(request.user).of_strategy(strategy)
            activities = form.filter(visible).with_relations()
            return Paginator(activities, PAGE_SIZE).get_page(form.cleaned_data["page"] or 1)

        # Lazy: searched only when the cached results (cachedfragment) are not there.
        page = SimpleLazyObject(results)
    ctx = {
        "strategy": strategy,
        "form": form,
        "page": page,
        "includes_internal": Activity.objects.sees_internal(request.user),
        # Pagination moved the user on: put focus on the new results (see static/js/portal.js).
        "focus_results": bool(request.htmx and (request.htmx.trigger or "").startswith("page-")),
        "rank_limit": RANK_LIMIT,
    }
    status = 200 if page is not None else 400
    if request.htmx and not request.htmx.history_restore_request:
        return render(request, "priorities/search.html#results", ctx, status=status)
    return render(request, "priorities/search.html", ctx, status=status)
