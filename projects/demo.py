"""The example projects load_demo adds (priorities.demo.demo_loaded): invented, marked
is_example, in several programmes and states, so the list, the pages and the funding figure
have something to show. None of them is a real project."""

import datetime
from decimal import Decimal

from partners.models import BilateralPartner, Organisation, Programme
from priorities.models import Commitment, Strategy

from .models import Project, Role, State

# (name, acronym, programme slug or None, role, state, years from the strategy's start to the
# grant decision or None, total EUR, county's share EUR, commitment codes, partner slugs,
# organisation slugs, public), all invented.
PROJECTS = [
    ("Grønn godstransport i Skagerrak", "GREENFREIGHT", "interreg-oks", Role.LEAD_PARTNER,
     State.RUNNING, 2, "2400000", "620000", ["3.1", "3.3"], [], [], True),
    ("Kystsamfunn og havvind", "COASTWIND", "interreg-north-sea", Role.PARTNER,
     State.CLOSED, 1, "3100000", "280000", ["3.2"], [], ["cpmr-north-sea-commission"], True),
    ("Elevutveksling med Kaunas", "KAUNAS-EDU", "erasmus-plus", Role.LEAD_PARTNER,
     State.GRANTED, 4, "180000", "180000", ["2.1", "4.2"], ["kaunas"], [], True),
    ("Hydrogen i regional transport", "H2REG", "horizon-europe", Role.PARTNER,
     State.REJECTED, 3, "5200000", "310000", ["3.3"], ["schleswig-holstein"], [], True),
    ("Kulturarv i grenseregionen", "HERITAGE", "creative-europe", Role.ASSOCIATED,
     State.APPLICATION_SENT, None, "900000", "45000", ["3.1"], [], [], True),
    ("Kompetanseprogram for prosjektledere", "", None, Role.LEAD_PARTNER,
     State.IDEA, None, None, None, ["4.3"], [], [], True),
    ("Intern forstudie om søknadsstøtte", "FORSTUDIE", None, Role.LEAD_PARTNER,
     State.GRANTED, 4, "60000", "60000", ["4.1"], [], [], False),
]  # fmt: skip
# An invented rate and its date for the NOK values of the examples.
RATE, RATE_DATE = Decimal("11.5000"), datetime.date(2025, 1, 2)


def example_projects(sender=None, *, users: dict, **kwargs) -> str:
    """Add the example projects, unless they are there already."""
    strategy = Strategy.objects.current()
    if strategy is None or Project.objects.filter(is_example=True).exists():
        return ""
    commitments = {c.code: c for c in Commitment.objects.of_strategy(strategy)}
    partners = BilateralPartner.objects.in_bulk(field_name="slug")
    organisations = Organisation.objects.in_bulk(field_name="slug")
    programmes = Programme.objects.in_bulk(field_name="slug")
    for n, row in enumerate(PROJECTS):
        name, acronym, programme, role, state, decided, total, share, codes, ps, os, public = row
        decided_on = (
            datetime.date(strategy.period_start + decided, 5, 15) if decided is not None else None
        )
        started = decided_on + datetime.timedelta(days=60) if decided_on else None
        project = Project.objects.create(
            name=name,
            acronym=acronym,
            programme=programmes.get(programme) if programme else None,
            call="Eksempelutlysning" if programme else "",
            role=role,
            state=state,
            applied_on=decided_on - datetime.timedelta(days=120) if decided_on else None,
            decided_on=decided_on,
            start_date=started if state in (State.RUNNING, State.CLOSED, State.GRANTED) else None,
            end_date=started + datetime.timedelta(days=730) if state == State.CLOSED else None,
            total_budget_eur=Decimal(total) if total else None,
            county_share_eur=Decimal(share) if share else None,
            eur_nok_rate=RATE if share else None,
            rate_date=RATE_DATE if share else None,
            other_partners="Eksempel universitet\nEksempel kommune" if n % 2 else "",
            description="Eksempel på et prosjekt, laget for demonstrasjon av portalen.",
            is_public=public,
            is_example=True,
            created_by=users.get("saksbehandler"),
        )
        project.commitments.set([commitments[c] for c in codes if c in commitments])
        project.partners.set([partners[s] for s in ps if s in partners])
        project.organisations.set([organisations[s] for s in os if s in organisations])
    return f"Added {len(PROJECTS)} example projects."
