"""Reporting rounds on other apps' pages: the link from the staff's "My work"."""

from django import template

from planning.models import DUE_SOON_DAYS
from priorities.models import Strategy

from ..due import due_items
from ..models import Entry, EntryState, Round

register = template.Library()


@register.inclusion_tag("reporting/my_work_link.html", takes_context=True)
def reporting_rounds_link(context) -> dict:
    """{% reporting_rounds_link %}: a link to the current strategy's reporting rounds, for
    those who take part in them (Round.can_take_part), with the latest round."""
    if not Round.can_take_part(context["user"]):
        return {"show": False}
    latest = Round.objects.filter(strategy=Strategy.objects.current()).first()
    return {"show": True, "latest": latest}


@register.inclusion_tag("reporting/due_list.html", takes_context=True)
def due_list(context, strategy) -> dict:
    """{% due_list strategy %}: the first section of "My work", what the user has due of
    `strategy` (reporting.due.due_items), most urgent first."""
    return {"due": due_items(user=context["user"], strategy=strategy), "soon": DUE_SOON_DAYS}


@register.inclusion_tag("reporting/report_entries.html")
def approved_entries(strategy, year) -> dict:
    """{% approved_entries strategy year %}: on the public yearly report, the approved entries
    of the strategy's round for `year` (Gjennomført, Vurdering, Videre arbeid); nothing when
    there is no round or none is approved yet. Approved entries are public."""
    entries = (
        Entry.objects.filter(round__strategy=strategy, round__year=year, state=EntryState.APPROVED)
        .select_related("commitment__priority")
        .order_by("commitment__priority__number", "commitment__number")
    )
    return {"entries": list(entries), "year": year}


@register.inclusion_tag("reporting/annual_report_link.html")
def annual_report_link(strategy, year) -> dict:
    """{% annual_report_link strategy year %}: on the yearly report, a prominent link to the
    year's Årsrapport and its PDF once the round's report is approved; nothing before."""
    the_round = (
        Round.objects.report_approved()
        .select_related("strategy")
        .filter(strategy=strategy, year=year)
        .first()
    )
    return {"round": the_round}


@register.simple_tag
def annual_reports(strategy) -> list:
    """{% annual_reports strategy as rounds %}: the strategy's rounds whose Årsrapport is
    approved, for the list of yearly reports."""
    if strategy is None:
        return []
    return list(Round.objects.report_approved().select_related("strategy").of_strategy(strategy))
