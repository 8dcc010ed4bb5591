"""What changed between two of an activity's history records (django-simple-history),
partner and organisation links included: the one diff behind both the admin's history
list and the workspace's change log."""

import dataclasses
from collections import defaultdict

from simple_history.models import ModelChange, ModelDelta
from simple_history.utils import get_m2m_reverse_field_name


def m2m_links(model, records: list) -> dict[str, defaultdict]:
    """{field: {history_id: [{related field: object}, …]}} for the records' many-to-many
    fields, in the shape diff_against() gives, with one query per field however many
    records (diff_against() reads each record's rows on its own)."""
    links = {}
    for field in model.history.model._history_m2m_fields:
        related = get_m2m_reverse_field_name(model._meta.get_field(field.name))
        by_record = defaultdict(list)
        if records:
            through = getattr(records[0], field.name).model
            rows = (
                through.objects.filter(history__in=[record.pk for record in records])
                .select_related(related)
                .order_by(related)
            )
            for row in rows:
                by_record[row.history_id].append({related: getattr(row, related)})
        links[field.name] = by_record
    return links


def changes_between(older, newer, links: dict, *, excluded_fields=(), **options) -> ModelDelta:
    """newer.diff_against(older), with the many-to-many fields compared from `links`
    (from m2m_links) instead of queried again per record."""
    delta = newer.diff_against(older, excluded_fields=[*excluded_fields, *links], **options)
    changes = list(delta.changes)
    for name, rows in links.items():
        old, new = rows[older.pk], rows[newer.pk]
        if old != new:
            changes.append(ModelChange(name, old, new))
    return dataclasses.replace(
        delta, changes=changes, changed_fields=[change.field for change in changes]
    )
