from django import forms
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import SimpleLazyObject, cached_property
from django.views.decorators.http import require_safe

from strategy_portal import pdf

from .briefing import Briefing
from .map import PartnerMap
from .models import (
    ENDS_SOON_DAYS,
    QUIET_MONTHS,
    BilateralPartner,
    Organisation,
    activities_per_year,
)

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
    ctx = {
        "partner": partner,
        "health": RelationHealth(partner, request.user, timezone.localdate()),
        **_activities_by_commitment(request, partner.activities),
    }
    return render(request, "partners/partner.html", ctx, status=ctx.pop("status"))


@require_safe
def organisation(request: HttpRequest, slug: str) -> HttpResponse:
    today = timezone.localdate()
    organisation = get_object_or_404(Organisation.objects.select_related("via"), slug=slug)
    seats = organisation.seats.with_state(today)
    user = request.user
    ctx = {
        "organisation": organisation,
        # Read when the template first asks: not at all when the cached part is there.
        "current_seats": seats.current(today),
        "former_seats": seats.former(today),
        "scorecard": SimpleLazyObject(lambda: organisation.scorecard(user, today=today)),
        "health": RelationHealth(organisation, user, today),
        "members_through": organisation.indirect_memberships.all(),
        "coordinated_partners": organisation.coordinated_partners.all(),
        **_activities_by_commitment(request, organisation.activities),
    }
    return render(request, "partners/organisation.html", ctx, status=ctx.pop("status"))


class RelationHealth:
    """Relationship health on a partner's or an organisation's page: the last contact and the
    activities per year of what the user may see, for everyone; the flags (is_quiet,
    ends_soon: RelationQuerySet.with_health) on staff pages only. Each part is queried when
    the template first asks for it: not at all when the cached part of the page is there."""

    def __init__(self, relation, user, today):
        self.model, self.pk, self.user, self.today = type(relation), relation.pk, user, today
        self.show_flags = relation.active and relation.activities.sees_internal(user)
        self.relation = relation

    @cached_property
    def status(self):
        return self.model.objects.with_health(self.user, today=self.today).get(pk=self.pk)

    @cached_property
    def per_year(self) -> list[dict]:
        return activities_per_year(self.relation, self.user)

    @cached_property
    def chart(self) -> dict:
        return _bar_chart(self.per_year)

    quiet_months = QUIET_MONTHS
    ends_soon_days = ENDS_SOON_DAYS


def _bar_chart(rows: list[dict]) -> dict:
    """SVG geometry for a small bar chart of rows of {"year", "count"} (sized with SVG
    attributes: the CSP forbids style attributes), as the priority page's chart."""
    width, bar_height, gap, label = 300, 20, 6, 56
    top = max([1] + [row["count"] for row in rows])
    bars = []
    for i, row in enumerate(rows):
        y = i * (bar_height + gap)
        bar_width = round(width * row["count"] / top)
        bars.append(
            {
                **row,
                "y": y,
                "width": bar_width,
                "text_y": y + bar_height - 5,
                "text_x": label + bar_width + 6,
            }
        )
    return {
        "bars": bars,
        "label_width": label,
        "bar_height": bar_height,
        "height": max(1, len(rows) * (bar_height + gap)),
        "total": sum(row["count"] for row in rows),
    }


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


# --- The briefing pack (partners/briefing.py) -------------------------------------------------
# Anyone may read it: an anonymous visitor's pack holds public items only, the same as the
# partner's own page shows them; staff and editors get internal items too, marked.


@require_safe
def partner_brief(request: HttpRequest, slug: str) -> HttpResponse:
    return _brief_page(request, _brief_partner(slug))


@require_safe
def partner_brief_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    return _brief_pdf(request, _brief_partner(slug))


@require_safe
def organisation_brief(request: HttpRequest, slug: str) -> HttpResponse:
    return _brief_page(request, _brief_organisation(slug))


@require_safe
def organisation_brief_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    return _brief_pdf(request, _brief_organisation(slug))


def _brief_partner(slug: str) -> BilateralPartner:
    return get_object_or_404(
        BilateralPartner.objects.select_related("coordinated_through"), slug=slug
    )


def _brief_organisation(slug: str) -> Organisation:
    return get_object_or_404(Organisation.objects.select_related("via"), slug=slug)


def _brief_page(request: HttpRequest, subject) -> HttpResponse:
    briefing = Briefing(subject, request.user)
    name = "partner_brief_pdf" if briefing.is_partner else "organisation_brief_pdf"
    ctx = {
        "briefing": briefing,
        "subject": subject,
        # Lazy: queried only when the cached pack (cachedfragment) is not there.
        "sections": SimpleLazyObject(briefing.sections),
        "pdf_url": reverse(f"partners:{name}", args=[subject.slug]),
    }
    return render(request, "partners/briefing/page.html", ctx)


def _brief_pdf(request: HttpRequest, subject) -> HttpResponse:
    """The pack as a tagged PDF, built once per content key (strategy_portal.pdf)."""
    briefing = Briefing(subject, request.user)
    filename = f"{subject.slug}-{briefing.today:%Y-%m-%d}.pdf"

    def build() -> bytes:
        ctx = {"briefing": briefing, "subject": subject, "sections": briefing.sections()}
        return pdf.render_pdf(render_to_string("partners/briefing/pdf.html", ctx))

    key = briefing_key(briefing)
    content = build() if key is None else pdf.cached_pdf(key, build).read_bytes()
    return pdf.pdf_response(content, filename, as_attachment=True)


def briefing_key(briefing: Briefing) -> str | None:
    """What a pack's content depends on besides the content version: the subject, the
    language, whether the reader sees internal items and the day (the pack's date and its
    twelve months). None when the pack must not be kept (strategy_portal.pdf)."""
    subject = briefing.subject
    return pdf.content_version_key(
        "briefing",
        subject._meta.label,
        subject.pk,
        translation.get_language(),
        briefing.sees_internal,
        briefing.today.isoformat(),
    )
