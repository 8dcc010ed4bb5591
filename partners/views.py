from django import forms
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.functional import cached_property
from django.views.decorators.http import require_safe

from .map import PartnerMap
from .models import BilateralPartner, Organisation

# As on a commitment page (priorities.views.PAGE_SIZE).
PAGE_SIZE = 25


def visible_activities(user) -> Q:
    """The activities `user` may see, as a filter across a partner's or an organisation's
    `activities`: the rule of the activity side (ActivityQuerySet.visible_q), reached through
    the relation, as this app imports nothing from priorities."""
    activities = BilateralPartner.activities.rel.related_model.objects
    return activities.visible_q(user, prefix="activities")


class PageForm(forms.Form):
    page = forms.IntegerField(required=False, min_value=1)


@require_safe
def partner_list(request: HttpRequest) -> HttpResponse:
    # Counts of what the visitor may see, as on the partner pages themselves.
    count = Count("activities", filter=visible_activities(request.user))
    ctx = {
        "partners": BilateralPartner.objects.filter(active=True)
        .select_related("coordinated_through")
        .prefetch_related("held_by")
        .annotate(activity_count=count),
        "organisations": Organisation.objects.active()
        .select_related("via")
        .prefetch_related("held_by")
        .annotate(activity_count=count),
    }
    return render(request, "partners/partner_list.html", ctx)


@require_safe
def partner_map(request: HttpRequest) -> HttpResponse:
    """The active partners and organisations with a place, on a world map and a Europe inset
    drawn on the server, and as a numbered list with the same facts."""
    count = Count("activities", filter=visible_activities(request.user))
    activities = BilateralPartner.activities.rel.related_model.objects
    partners = BilateralPartner.objects.on_map().annotate(activity_count=count)
    organisations = Organisation.objects.on_map().annotate(activity_count=count)
    ctx = {
        "map": PartnerMap([*partners, *organisations]),
        "includes_internal": activities.sees_internal(request.user),
        "not_on_map": BilateralPartner.objects.not_on_map().count()
        + Organisation.objects.not_on_map().count(),
    }
    return render(request, "partners/partner_map.html", ctx)


@require_safe
def partner(request: HttpRequest, slug: str) -> HttpResponse:
    partner = get_object_or_404(
        BilateralPartner.objects.select_related("coordinated_through"), slug=slug
    )
    ctx = {"partner": partner, **_activities_by_commitment(request, partner.activities)}
    return render(request, "partners/partner.html", ctx, status=ctx.pop("status"))


@require_safe
def organisation(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.select_related("via"), slug=slug)
    ctx = {
        "organisation": organisation,
        "members_through": organisation.indirect_memberships.all(),
        "coordinated_partners": organisation.coordinated_partners.all(),
        **_activities_by_commitment(request, organisation.activities),
    }
    return render(request, "partners/organisation.html", ctx, status=ctx.pop("status"))


class ActivitiesByCommitment:
    """The partner × commitment view: the activities the visitor may see, counted and listed
    per commitment. Staff see internal ones too (marked), as on the commitment pages.

    `activities` is the reverse manager (partner.activities), so this app needs no import
    from priorities; .visible_to() is the activity side's rule of who sees what. Each part is
    queried when the template first asks for it: not at all when the cached part of the page
    (template tag cachedfragment) is there.
    """

    # One strategy's commitments together (a portal may hold several), then by number.
    ORDER = (
        "commitment__priority__strategy_id",
        "commitment__priority__number",
        "commitment__number",
    )

    def __init__(self, visible, page_number: int | None):
        self.visible, self.page_number = visible, page_number

    @cached_property
    def summary(self) -> list[dict]:
        rows = list(
            self.visible.order_by()
            .values("commitment_id", *self.ORDER)
            .annotate(count=Count("pk"), latest=Max("start_date"))
            .order_by(*self.ORDER)
        )
        # The commitments themselves, with their strategy: each row links the commitment's
        # own address (its strategy's, priorities.models.strategy_url) and names the strategy.
        commitments = (
            self.visible.model._meta.get_field("commitment")
            .related_model.objects.select_related("priority__strategy")
            .in_bulk([row["commitment_id"] for row in rows])
        )
        for row in rows:
            row["commitment"] = commitments[row["commitment_id"]]
            row["code"] = f"{row['commitment__priority__number']}.{row['commitment__number']}"
        return rows

    @cached_property
    def total(self) -> int:
        return sum(row["count"] for row in self.summary)

    @cached_property
    def page_obj(self):
        # The page's ids first, sorted from the indexes alone; then only those rows are read
        # whole. Sorting whole rows would read every one of a partner's activities.
        ids = self.visible.order_by(*self.ORDER, "-start_date", "-pk").values_list("pk", flat=True)
        paginator = Paginator(ids, PAGE_SIZE)
        paginator.count = self.total  # counted in the summary: no second count
        page = paginator.get_page(self.page_number)
        rows = self.visible.with_relations().in_bulk(list(page.object_list))
        page.object_list = [rows[pk] for pk in page.object_list]
        return page


def _activities_by_commitment(request: HttpRequest, activities) -> dict:
    """The context of includes/activities_by_commitment.html (and the page's status)."""
    form = PageForm(request.GET)
    page_number = form.cleaned_data["page"] if form.is_valid() else None
    return {
        "by_commitment": ActivitiesByCommitment(activities.visible_to(request.user), page_number),
        "page_number": page_number,
        "page_form": form,
        "includes_internal": activities.sees_internal(request.user),
        "status": 400 if form.errors else 200,
    }
