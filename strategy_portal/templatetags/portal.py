"""Template tags shared by every page: language alternates, freshness, links."""

import datetime
from urllib.parse import urlsplit

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import get_text_list
from django.utils.timesince import timesince, timeuntil
from django.utils.translation import get_language, gettext

from strategy_portal.cache import cached_fragment

register = template.Library()


@register.simple_tag(takes_context=True)
def language_alternates(context) -> list[dict]:
    """The current page in each language, keeping the query string."""
    request = context.get("request")
    if request is None:
        return []
    current = get_language()
    query = request.META.get("QUERY_STRING", "")
    alternates = []
    for code, name in settings.LANGUAGES:
        path = translate_url(request.path, code)
        if query:
            path = f"{path}?{query}"
        alternates.append(
            {
                "code": code,
                "name": name,
                "path": path,
                "url": request.build_absolute_uri(path),
                "current": code == current,
            }
        )
    return alternates


# --- Freshness: shared by every public page ------------------------------------------------


@register.filter
def freshness(day: datetime.date | None) -> str:
    """'Last activity 3 months ago' for the date of a commitment's latest public activity."""
    if day is None:
        return gettext("No public activities yet")
    day = _as_date(day)
    today = timezone.localdate()
    if day == today:
        return gettext("Last activity today")
    if day > today:
        return gettext("Next activity on %(date)s") % {"date": date_format(day)}
    if day == today - datetime.timedelta(days=1):
        return gettext("Last activity yesterday")
    return gettext("Last activity %(since)s ago") % {"since": timesince(day, today, depth=1)}


@register.filter
def ago(day: datetime.date | None) -> str:
    """'3 months ago', 'today', 'yesterday' or 'in 2 weeks' for a date."""
    if day is None:
        return ""
    day = _as_date(day)
    today = timezone.localdate()
    if day == today:
        return gettext("today")
    if day == today - datetime.timedelta(days=1):
        return gettext("yesterday")
    if day > today:
        return gettext("in %(until)s") % {"until": timeuntil(day, today, depth=1)}
    return gettext("%(since)s ago") % {"since": timesince(day, today, depth=1)}


def _as_date(day: datetime.date) -> datetime.date:
    if isinstance(day, datetime.datetime):
        return timezone.localtime(day).date()
    return day


@register.filter(expects_localtime=True)
def datetime_attr(moment: datetime.datetime | None) -> str:
    """A moment for <time datetime="...">: ISO 8601 to the second, with its offset. HTML takes
    at most three digits of fractional seconds; isoformat() and the date filter's "c" give six.
    """
    if not isinstance(moment, datetime.datetime):
        return ""
    return moment.replace(microsecond=0).isoformat()


@register.simple_tag
def time_element(day: datetime.date | None) -> str:
    """{% time_element day as text %}: a date as a <time> element, for use inside a translated
    sentence ({% blocktranslate with date=text %}); format_html escapes what it inserts."""
    if not isinstance(day, datetime.date):
        return ""
    return format_html('<time datetime="{}">{}</time>', day.isoformat(), date_format(day))


@register.filter
def and_list(items) -> str:
    """Names as a list in the page's language: "A, B og C" (and, og, and)."""
    return get_text_list([str(item) for item in items], gettext("and"))


@register.filter
def web_link(address: str | None) -> str:
    """The address if it is an http(s) link, else "".

    `{% if x|web_link %}<a href="{{ x|web_link }}">`: the models take http(s) only, but a
    value stored before they did, or by a script, must not become a javascript: link.
    """
    if isinstance(address, str) and urlsplit(address.strip()).scheme.lower() in ("http", "https"):
        return address
    return ""


class CachedFragmentNode(template.Node):
    def __init__(self, nodelist, name, parts):
        self.nodelist, self.name, self.parts = nodelist, name, parts

    def render(self, context) -> str:
        parts = [str(part.resolve(context)) for part in self.parts]
        # The nodes' output, as a node's output always is: escaped where the template says.
        return cached_fragment(self.name, parts, lambda: self.nodelist.render(context))


@register.tag
def cachedfragment(parser, token):
    """{% cachedfragment "name" part ... %}…{% endcachedfragment %}: the enclosed text kept
    in the shared cache until the content changes (strategy_portal.cache.cached_fragment).

    The parts must name everything else the text depends on: the user's rights, filters, the
    page number. The name, language, day and code version are part of the key already. The
    view passes what only the text needs lazily, so that a hit runs none of its queries.
    """
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"{bits[0]} needs a name")
    nodelist = parser.parse(("endcachedfragment",))
    parser.delete_first_token()
    name = parser.compile_filter(bits[1]).resolve({})
    return CachedFragmentNode(nodelist, name, [parser.compile_filter(bit) for bit in bits[2:]])
