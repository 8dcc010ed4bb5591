"""{% strategy_url 'priorities:report' year %}: a page of the strategy the page shows.

The strategy is the template's `strategy` (the current one where there is none): today's
address for the current strategy, strategier/<slug>/… for another (Strategy.url()).
"""

from django import template
from django.urls import reverse

from priorities.models import Strategy

register = template.Library()


@register.simple_tag(takes_context=True)
def strategy_url(context, name: str, *args) -> str:
    strategy = context.get("strategy")
    if strategy is None:
        return reverse(name, args=args)
    return strategy.url(name, *args)


@register.simple_tag
def several_strategies() -> bool:
    """{% several_strategies as several %}: whether the portal holds more than one."""
    return Strategy.objects.several()
