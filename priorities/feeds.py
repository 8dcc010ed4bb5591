"""Atom feeds of newly logged public activities: a whole strategy, and one commitment."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .models import Activity, Commitment, Strategy
from .views import elsewhere, strategy_page

FEED_SIZE = 50
# The category of invented demo activities: a term for programs, the same in every language.
EXAMPLE_CATEGORY = "example"


class ActivityFeed(Feed):
    """The strategy's feed: get_object() gives the strategy (strategy_page), or None."""

    feed_type = Atom1Feed

    def get_object(self, request, strategy: Strategy | None) -> Strategy | None:
        return strategy

    def title(self, obj: Strategy | None) -> str:
        name = obj.title if obj else _("Strategy portal")
        return _("New activities: %(strategy)s") % {"strategy": name}

    def subtitle(self) -> str:
        return _("Activities logged against the strategy, newest first. Public activities only.")

    def link(self, obj: Strategy | None) -> str:
        return obj.url("priorities:search") if obj else "/"

    def strategy_of(self, obj) -> Strategy | None:
        return obj

    def activities(self, obj):
        # Public only, whoever asks: a feed reader is never signed in as anyone. Only the
        # strategy's own.
        return (
            Activity.objects.public()
            .of_strategy(self.strategy_of(obj))
            .select_related("commitment__priority__strategy", "visit")
        )

    def items(self, obj=None):
        return self.activities(obj).order_by("-created_at", "-pk")[:FEED_SIZE]

    def item_title(self, item: Activity) -> str:
        # Invented demo content says so where a feed reader shows it: in the title.
        if item.is_example:
            return _("Example: %(title)s") % {"title": item.title}
        return item.title

    def item_description(self, item: Activity) -> str:
        # The Atom summary is type="html": escape the text, keep its paragraphs.
        parts = []
        if item.is_example:
            note = _("This is an invented example, made to show how the portal works.")
            parts.append(f"<p><strong>{escape(note)}</strong></p>")
        parts += [
            f"<p>{escape(item.start_date.isoformat())} · {escape(item.get_kind_display())} · "
            f"{escape(_('Commitment %(code)s') % {'code': item.commitment.code})}</p>"
        ]
        visit = getattr(item, "visit", None) if item.is_visit else None
        if visit is not None:
            # Never the cost: a feed is public, and a feed reader keeps what it fetched.
            parts.append(
                f"<p><strong>{escape(visit.get_direction_display())}:</strong> "
                f"{escape(visit.purpose)}</p>"
            )
        if item.description:
            parts.append(linebreaks(item.description, autoescape=True))
        if item.outcome:
            parts.append(
                f"<p><strong>{escape(_('Outcome'))}:</strong></p>"
                + linebreaks(item.outcome, autoescape=True)
            )
        if visit is not None and visit.follow_up:
            parts.append(
                f"<p><strong>{escape(_('Follow-up agreed'))}:</strong></p>"
                + linebreaks(visit.follow_up, autoescape=True)
            )
        return "\n".join(parts)

    def item_link(self, item: Activity) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Activity):
        return item.created_at

    def item_updateddate(self, item: Activity):
        return item.updated_at

    def item_categories(self, item: Activity) -> list[str]:
        categories = [str(item.get_kind_display()), item.commitment.code]
        if item.is_example:
            categories.append(EXAMPLE_CATEGORY)
        return categories


class CommitmentActivityFeed(ActivityFeed):
    url_name = "priorities:commitment_feed"

    def __call__(self, request, strategy, slug: str, number: int):
        commitment = self.get_object(request, strategy, slug, number)
        # A commitment of another strategy than the address says: to its own feed.
        return elsewhere(request, strategy, commitment, self.url_name) or super().__call__(
            request, strategy, slug, number
        )

    def get_object(self, request, strategy, slug: str, number: int) -> Commitment:
        return get_object_or_404(
            Commitment.objects.select_related("priority__strategy"),
            priority__slug=slug,
            number=number,
        )

    def strategy_of(self, obj: Commitment) -> Strategy:
        return obj.priority.strategy

    def title(self, obj: Commitment) -> str:
        return _("New activities: commitment %(code)s") % {"code": obj.code}

    def subtitle(self, obj: Commitment) -> str:
        return obj.text

    def link(self, obj: Commitment) -> str:
        return obj.get_absolute_url()

    def activities(self, obj: Commitment):
        return super().activities(obj).filter(commitment=obj)


# A feed is read-only: a POST is refused (405) like on every other page.
latest_activities = require_safe(strategy_page(ActivityFeed()))
commitment_activities = require_safe(strategy_page(CommitmentActivityFeed()))
