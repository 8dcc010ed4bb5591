import tomllib
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from partners.models import BilateralPartner, Organisation, Programme
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


class Command(BaseCommand):
    help = (
        "Load Internasjonal strategi 2030 with its priorities, commitments, partners, "
        "organisations and programmes. Creates what is missing; never changes existing rows, "
        "so edits made in admin are kept and running it twice changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--file", type=Path, default=CONTENT, help="TOML file to load.")

    @transaction.atomic
    def handle(self, *args, **options):
        with open(options["file"], "rb") as f:
            content = tomllib.load(f)
        self.created = 0

        organisations = {}
        # Direct memberships first, so "via" can point at them.
        for data in sorted(content.get("organisations", []), key=lambda d: "via" in d):
            defaults = {
                **plain(data, "short_name", "kind", "member_since", "member_until", "website"),
                **plain(data, "source_url", "cost_bearer"),
                "via": organisations.get(data["via"]) if "via" in data else None,
            }
            for field in ("name", "seats_and_role", "purpose", "description"):
                if field in data:
                    defaults |= translated(field, data[field])
            organisations[data["slug"]] = self.ensure(Organisation, data["slug"], defaults)

        for data in content.get("partners", []):
            defaults = {
                **plain(data, "country", "cooperation_since", "website", "source_url"),
                **plain(data, "agreement_signed", "agreement_renewed", "agreement_expires"),
                "coordinated_through": organisations.get(data.get("coordinated_through")),
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
        strategy = self.ensure(Strategy, data["slug"], defaults)

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

        self.stdout.write(
            self.style.SUCCESS(f"Strategy content loaded: {self.created} rows created.")
            if self.created
            else "Strategy content already loaded; nothing changed."
        )

    def ensure(self, model, slug: str, defaults: dict):
        return self.count(model.objects.get_or_create(slug=slug, defaults=defaults))

    def count(self, result):
        obj, created = result
        self.created += created
        return obj
