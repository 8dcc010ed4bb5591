from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from counties.models import County
from partners.models import BilateralPartner, Organisation, Programme
from priorities import strategy_file
from priorities.models import Commitment, FocusPoint, Priority, Strategy

CONTENT = Path(__file__).resolve().parents[2] / "content" / "internasjonal-strategi-2030.toml"
LANGUAGES = ("nb", "nn", "en")


def translated(field: str, texts: dict | str) -> dict:
    """{"nb": …, "nn": …} → {"field_nb": …, "field_nn": …}; a plain string is bokmål only."""
    if isinstance(texts, str):
        texts = {"nb": texts}
    return {f"{field}_{lang}": texts[lang] for lang in LANGUAGES if lang in texts}


def plain(data: dict, *fields: str) -> dict:
    return {field: data[field] for field in fields if field in data}


def place(data: dict) -> dict:
    """A partner's or an organisation's place on the map, as the model's fields."""
    fields = plain(data, "country") if "country" in data else {}
    for key in ("latitude", "longitude"):
        if key in data:
            fields[key] = strategy_file.degrees(data[key])
    if "place" in data:
        fields |= translated("place", data["place"])
    return fields


def load_places(content: dict) -> int:
    """Places on the map for partners and organisations loaded before the map existed, and how
    many rows it changed. Filled only while a row has no coordinates, as held_by is filled
    only while empty (load_counties): a place an admin set is kept."""
    changed = 0
    for model, key in ((BilateralPartner, "partners"), (Organisation, "organisations")):
        for data in content.get(key, []):
            fields = place(data)
            if "latitude" not in fields:
                continue
            row = model.objects.filter(slug=data["slug"], latitude__isnull=True).first()
            if row is None:
                continue
            for name, value in fields.items():
                if name in ("latitude", "longitude") or not getattr(row, name):
                    setattr(row, name, value)
            row.save()  # with its history record, as an admin edit
            changed += 1
    return changed


def load_counties(content: dict) -> int:
    """The file's [[counties]], the strategy's `county` and the partners' and organisations'
    `held_by`; how many rows and links it added.

    As the rest of the command: creates what is missing and never changes what is set, so an
    edit made in admin is kept. A county's successors are set when it is created; a strategy's
    county and a relation's `held_by` are filled only while empty (a database loaded before
    counties existed gets them; one where an admin chose otherwise keeps the choice).
    """
    added = 0
    counties, created = {}, set()
    for data in content.get("counties", []):
        defaults = {
            **plain(data, "short_name", "website", "existed_from", "dissolved_on"),
            **translated("name", data["name"]),
        }
        county, is_new = County.objects.get_or_create(slug=data["slug"], defaults=defaults)
        counties[data["slug"]] = county
        if is_new:
            created.add(data["slug"])
            added += 1
    for data in content.get("counties", []):
        if data["slug"] in created and data.get("successors"):
            counties[data["slug"]].successors.add(*(counties[s] for s in data["successors"]))
            added += len(data["successors"])

    strategy = content.get("strategy", {})
    adopted = Strategy.objects.filter(slug=strategy.get("slug"), county__isnull=True).first()
    if "county" in strategy and adopted is not None:
        adopted.county = counties[strategy["county"]]
        adopted.save(update_fields=["county"])  # with its history record, as an admin edit
        added += 1
    for model, key in ((BilateralPartner, "partners"), (Organisation, "organisations")):
        for data in content.get(key, []):
            row = model.objects.filter(slug=data["slug"]).first()
            if data.get("held_by") and row is not None and not row.held_by.exists():
                row.held_by.add(*(counties[slug] for slug in data["held_by"]))
                added += len(data["held_by"])
    return added


class Command(BaseCommand):
    help = (
        "Load a strategy from a TOML file (README: Loading a strategy from a file) with its "
        "priorities, commitments, partners, organisations and programmes; without a path, "
        "Internasjonal strategi 2030. The whole file is checked first: a file with mistakes is "
        "refused with every error and its line, and nothing is saved. Creates what is missing; "
        "never changes existing rows, so edits made in admin are kept and running it twice "
        "changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", type=Path, help="TOML file to load (default: the shipped strategy)."
        )
        parser.add_argument("--file", type=Path, help="The same as PATH (kept for old scripts).")
        parser.add_argument(
            "--current",
            action="store_true",
            help="Make this the portal's current strategy (at /, with today's addresses). "
            "Without it, the first strategy loaded into a portal becomes current, and any "
            "other is listed beside it under /strategier/.",
        )

    def handle(self, *args, **options):
        if options["path"] and options["file"] and options["path"] != options["file"]:
            raise CommandError("Give the file once: as PATH or as --file, not both.")
        path = options["path"] or options["file"] or CONTENT
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        try:
            content = strategy_file.read(path)
        except strategy_file.StrategyFileError as error:
            count = len(error.lines)
            raise CommandError(
                "\n".join(
                    [f"{path.name}: refused, nothing saved ({count} error{'s' * (count != 1)}):"]
                    + error.lines
                )
            ) from None
        self.load(content, make_current=options["current"])

    @transaction.atomic
    def load(self, content: dict, make_current: bool = False) -> None:
        self.created = 0

        organisations = {}
        # Direct memberships first, so "via" can point at them.
        for data in sorted(content.get("organisations", []), key=lambda d: "via" in d):
            defaults = {
                **plain(data, "short_name", "kind", "member_since", "member_until", "website"),
                **plain(data, "source_url", "cost_bearer"),
                "via": self.organisation(organisations, data.get("via")),
                **place(data),
            }
            for field in ("name", "seats_and_role", "purpose", "description"):
                if field in data:
                    defaults |= translated(field, data[field])
            organisations[data["slug"]] = self.ensure(Organisation, data["slug"], defaults)

        for data in content.get("partners", []):
            defaults = {
                **plain(data, "country", "cooperation_since", "website", "source_url"),
                **plain(data, "agreement_signed", "agreement_renewed", "agreement_expires"),
                **plain(data, "agreement_url"),
                "coordinated_through": self.organisation(
                    organisations, data.get("coordinated_through")
                ),
                **place(data),
            }
            for field in ("name", "themes", "agreement", "description"):
                if field in data:
                    defaults |= translated(field, data[field])
            self.ensure(BilateralPartner, data["slug"], defaults)

        for data in content.get("programmes", []):
            defaults = plain(data, "short_name", "period_start", "period_end", "website")
            for field in ("name", "description"):
                if field in data:
                    defaults |= translated(field, data[field])
            self.ensure(Programme, data["slug"], defaults)

        data = content["strategy"]
        defaults = plain(
            data,
            "adopted_on",
            "period_start",
            "period_end",
            "decision_body",
            "decision_date",
            "decision_case_number",
            "decision_url",
        )
        for field in ("title", "adopted_by", "purpose", "sdg_statement"):
            defaults |= translated(field, data[field])
        # The first strategy of a portal is its current one; another takes over only when
        # asked (--current): loading another county's file must not take over the front page.
        defaults["is_current"] = not Strategy.objects.exists()
        strategy = self.ensure(Strategy, data["slug"], defaults)
        if make_current and not strategy.is_current:
            strategy.is_current = True
            strategy.save(update_fields=["is_current"])
            self.stdout.write(f"{strategy.title} is now the current strategy.")

        for point in content.get("focus_points", []):
            self.count(
                FocusPoint.objects.get_or_create(
                    strategy=strategy, number=point["number"], defaults=translated("text", point)
                )
            )

        for data in content.get("priorities", []):
            priority, created = Priority.objects.get_or_create(
                slug=data["slug"],
                defaults={
                    "strategy": strategy,
                    "number": data["number"],
                    **translated("title", data["title"]),
                    **(
                        translated("description", data["description"])
                        if "description" in data
                        else {}
                    ),
                },
            )
            self.count((priority, created))
            for commitment in data.get("commitments", []):
                self.count(
                    Commitment.objects.get_or_create(
                        priority=priority,
                        number=commitment["number"],
                        defaults=translated("text", commitment),
                    )
                )

        # The county authorities and who holds what now (load_counties above).
        self.created += load_counties(content)
        # Places on the map for partners and organisations that were there before it.
        self.created += load_places(content)

        self.stdout.write(
            self.style.SUCCESS(f"Strategy content loaded: {self.created} rows created.")
            if self.created
            else "Strategy content already loaded; nothing changed."
        )

    @staticmethod
    def organisation(in_file: dict, slug: str | None):
        """An organisation of the file, or one already in the database (the check has made
        sure it is one of the two)."""
        if slug is None:
            return None
        return in_file.get(slug) or Organisation.objects.get(slug=slug)

    def ensure(self, model, slug: str, defaults: dict):
        return self.count(model.objects.get_or_create(slug=slug, defaults=defaults))

    def count(self, result):
        obj, created = result
        self.created += created
        return obj
