"""The activity spreadsheet: the one definition of its columns, for CSV and XLSX, out and in.

Export writes the cells; import reads a file back into rows of text, then checks every row
against the database into a dry-run plan. Nothing here saves anything except `apply_plan`,
which runs only on a plan without errors and inside one transaction.
"""

import csv
import datetime
import hashlib
import io
import json
import re
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from partners.models import BilateralPartner, Organisation, Programme

from .forms import ActivityRowForm
from .models import Activity, Commitment

CSV_DELIMITER = ";"
# Largest file the import accepts, and most rows: a year of activities is a few hundred.
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
# A cell starting with one of these is a formula to Excel or LibreOffice (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# An id the database can hold: ASCII digits only (str.isdigit() also takes "²").
ID = re.compile(r"[0-9]{1,18}\Z")
YES = ("yes", "ja", "true", "1")
NO = ("no", "nei", "false", "0")


@dataclass(frozen=True)
class Column:
    name: str
    help: str
    # Written by the downloads, ignored by the import (and may be left out of its file).
    read_only: bool = False
    # May be left out of an imported file (one downloaded before the column existed): the
    # import then keeps what an activity has.
    optional: bool = False


COLUMNS = (
    Column("id", _("The activity's number in the portal. Leave empty to add a new activity.")),
    Column("commitment", _("The commitment's code, e.g. 3.1.")),
    Column("title", _("Title, at most 200 characters.")),
    Column("kind", _("The kind of activity, as one of the codes listed below.")),
    Column("start_date", _("Date, as YYYY-MM-DD (DD.MM.YYYY is also read).")),
    Column("end_date", _("End date, in the same format, or empty.")),
    Column("place", _("Place, or empty.")),
    Column("country", _("Two-letter country code (ISO 3166), e.g. NO, BE, LT, or empty.")),
    Column("description", _("Description, or empty.")),
    Column("outcome", _("Outcome, or empty.")),
    Column("partners", _("Bilateral partners, as codes separated by commas, or empty.")),
    Column("organisations", _("Organisations and arenas, as codes separated by commas, or empty.")),
    Column("programme", _("The EU programme's code, or empty.")),
    Column(
        "county",
        _("The code of the county authority that did the activity (listed below), or empty."),
        optional=True,
    ),
    Column("url", _("A link to more information, or empty.")),
    Column(
        "public",
        _("yes or no. Downloads contain public activities only; empty means yes for a new row."),
    ),
    Column(
        "example",
        _("yes for an invented example (demo content), else no. The import ignores it."),
        read_only=True,
    ),
    # Added last, so that the columns before keep their places in people's spreadsheets.
    Column(
        "measure",
        _(
            "The title of the action plan's measure the activity carries out, or empty. "
            "The import ignores it."
        ),
        read_only=True,
    ),
)
HEADER = [column.name for column in COLUMNS]
IMPORT_HEADER = [column.name for column in COLUMNS if not column.read_only]
# What an imported file must name, in HEADER's order: a file made before a read-only or an
# optional column was added still reads.
REQUIRED = [column.name for column in COLUMNS if not (column.read_only or column.optional)]
TEXT_FIELDS = ("title", "place", "country", "description", "outcome", "url")
# The activity form's fields whose column has another name.
FORM_COLUMNS = {"is_public": "public"}


# --- Export -------------------------------------------------------------------------------


def attach_links(activities) -> list[Activity]:
    """Evaluate the queryset `activities`; set .linked_partners and .linked_organisations on each.

    The link tables are read through a subquery rather than prefetch_related's list of ids,
    so a year with thousands of activities costs the same queries as a year with ten.
    """
    subquery = activities.order_by().values("pk")
    activities = list(activities)
    if not activities:
        return activities
    partner_links = _links(Activity.partners.through, "bilateralpartner_id", subquery)
    organisation_links = _links(Activity.organisations.through, "organisation_id", subquery)
    partners = BilateralPartner.objects.in_bulk() if partner_links else {}
    organisations = Organisation.objects.in_bulk() if organisation_links else {}
    for activity in activities:
        activity.linked_partners = sorted(
            (partners[pk] for pk in partner_links.get(activity.pk, ())), key=lambda p: p.slug
        )
        activity.linked_organisations = sorted(
            (organisations[pk] for pk in organisation_links.get(activity.pk, ())),
            key=lambda o: o.slug,
        )
    return activities


def _links(through, target: str, subquery) -> dict[int, list[int]]:
    links: dict[int, list[int]] = {}
    rows = through.objects.filter(activity_id__in=subquery).values_list("activity_id", target)
    for activity_id, target_id in rows:
        links.setdefault(activity_id, []).append(target_id)
    return links


def activity_values(activity: Activity) -> dict:
    """The activity as the spreadsheet's typed values (dates stay dates for XLSX)."""
    partners = getattr(activity, "linked_partners", None)
    if partners is None:
        partners = activity.partners.all()
    organisations = getattr(activity, "linked_organisations", None)
    if organisations is None:
        organisations = activity.organisations.all()
    return {
        "id": activity.pk,
        "commitment": activity.commitment.code,
        "title": activity.title,
        "kind": activity.kind,
        "start_date": activity.start_date,
        "end_date": activity.end_date,
        "place": activity.place,
        "country": activity.country.code,
        "description": activity.description,
        "outcome": activity.outcome,
        "partners": ", ".join(sorted(p.slug for p in partners)),
        "organisations": ", ".join(sorted(o.slug for o in organisations)),
        "programme": activity.programme.slug if activity.programme else "",
        "county": activity.county.slug if activity.county else "",
        "url": activity.url,
        "public": "yes" if activity.is_public else "no",
        "example": "yes" if activity.is_example else "no",
        "measure": activity.public_measure_title,
    }


def as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def neutralise(text: str) -> str:
    """Prefix an apostrophe to text a spreadsheet would run as a formula.

    Text that already starts with apostrophes before a trigger gets one more, so `restore`
    gives back exactly what was written.
    """
    if text.lstrip("'").startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def restore(text: str) -> str:
    if text.startswith("'") and text.lstrip("'").startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


def csv_bytes(activities) -> bytes:
    """UTF-8 with a byte order mark (so Excel reads æøå), semicolon-separated, CRLF lines."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=CSV_DELIMITER)
    writer.writerow(HEADER)
    for activity in activities:
        values = activity_values(activity)
        writer.writerow([neutralise(as_text(values[name])) for name in HEADER])
    return out.getvalue().encode("utf-8")


def xlsx_bytes(activities, *, sheet_title: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    widths = {"title": 50, "description": 60, "outcome": 40, "url": 40}
    for index, name in enumerate(HEADER):
        letter = chr(ord("A") + index)
        sheet.column_dimensions[letter].width = widths.get(name, 14)
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for name in HEADER:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for activity in activities:
        values = activity_values(activity)
        row = []
        for name in HEADER:
            value = values[name]
            if isinstance(value, str):
                # openpyxl writes a string starting with "=" as a formula; the apostrophe
                # keeps it text. Control characters are not allowed in the XML at all.
                value = neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
            row.append(value)
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- Import: reading a file ----------------------------------------------------------------


class ImportFileError(Exception):
    """The file as a whole cannot be read: wrong type, encoding, header or size."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def read_table(name: str, content: bytes) -> list[list]:
    """The file's data rows as [row number, cells as text], the header checked; the cells in
    HEADER's order, None for a column the file leaves out."""
    lowered = name.lower()
    if lowered.endswith(".csv"):
        rows = _csv_rows(content)
    elif lowered.endswith(".xlsx"):
        rows = _xlsx_rows(content)
    else:
        raise ImportFileError(_("Upload a .csv or .xlsx file, in the format of the download."))
    table = []
    header_seen = False
    for number, cells in rows:
        cells = [_cell_text(value) for value in cells]
        if not any(cell.strip() for cell in cells):
            continue  # Spreadsheets often end with empty rows.
        if not header_seen:
            index = {column: i for i, column in enumerate(_check_header(cells))}
            header_seen = True
            continue
        if len(table) >= MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(max)d rows; split it into smaller files.")
                % {"max": MAX_ROWS}
            )
        cells += [""] * (len(index) - len(cells))
        table.append([number, [cells[index[c]] if c in index else None for c in HEADER]])
    if not header_seen:
        raise ImportFileError(_("The file is empty."))
    return table


def _csv_rows(content: bytes):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The CSV file is not UTF-8. In Excel, save it as “CSV UTF-8”.")
        ) from None
    first_line = text.split("\n", 1)[0]
    # The download is semicolon-separated; a comma-separated copy is read as well.
    delimiter = CSV_DELIMITER if CSV_DELIMITER in first_line or "," not in first_line else ","
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        return [(reader.line_num, row) for row in reader]
    except csv.Error as error:
        raise ImportFileError(
            _("The CSV file could not be read (line %(line)d: %(error)s).")
            % {"line": reader.line_num, "error": error}
        ) from None


def _xlsx_rows(content: bytes):
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        rows = []
        for number, row in enumerate(
            sheet.iter_rows(max_col=len(HEADER) + 5, values_only=True), start=1
        ):
            rows.append((number, list(row)))
            if number > MAX_ROWS + 100:
                break
        workbook.close()
        return rows
    except Exception:
        # openpyxl raises many kinds of errors on a damaged or foreign file; all mean the same.
        raise ImportFileError(_("The file is not a readable XLSX workbook.")) from None


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _check_header(cells: list[str]) -> list[str]:
    """The file's column names, checked: HEADER's, in its order, without unknown ones; the
    read-only and optional ones may be left out."""
    names = [cell.strip().lstrip("\ufeff").lower() for cell in cells]
    while names and not names[-1]:
        names.pop()
    if names != [name for name in HEADER if name in names] or not set(REQUIRED) <= set(names):
        missing = [name for name in REQUIRED if name not in names]
        unknown = [name for name in names if name and name not in HEADER]
        details = []
        if missing:
            details.append(_("missing: %(names)s") % {"names": ", ".join(missing)})
        if unknown:
            details.append(_("unknown: %(names)s") % {"names": ", ".join(unknown)})
        if not details:
            details.append(_("the columns are in another order"))
        raise ImportFileError(
            _("The first row must name the columns of the download, in order: %(header)s (%(d)s).")
            % {"header": CSV_DELIMITER.join(HEADER), "d": "; ".join(str(d) for d in details)}
        )
    return names


# --- Import: checking rows into a plan -----------------------------------------------------


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class PlannedRow:
    row: int
    action: str  # "create", "update" or "unchanged"
    activity: Activity
    partners: list = field(default_factory=list)
    organisations: list = field(default_factory=list)
    changes: list = field(default_factory=list)  # (column, old text, new text)


@dataclass
class Plan:
    rows: list[PlannedRow]
    errors: list[RowError]

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    @property
    def created(self) -> int:
        return self.count("create")

    @property
    def updated(self) -> int:
        return self.count("update")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def changed_rows(self) -> list[PlannedRow]:
        return [row for row in self.rows if row.action != "unchanged"]

    def digest(self) -> str:
        """Fingerprint of what the plan will do, to check the confirmed plan is the one shown."""
        summary = [
            [row.row, row.action, row.activity.pk, [list(c) for c in row.changes]]
            for row in self.rows
        ]
        return hashlib.sha256(json.dumps(summary, default=str).encode()).hexdigest()


def _parse_date(text: str) -> datetime.date:
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError


def _codes(text: str) -> list[str]:
    return [code.strip() for code in text.replace(";", ",").split(",") if code.strip()]


def _same(old: str, new: str) -> bool:
    # Spreadsheets, XML and browsers disagree on line endings; those are not changes.
    return _lines(old) == _lines(new)


def _lines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def build_plan(table: list[list], *, strategy) -> Plan:
    """Check every row of `table` (from read_table) against the database. Saves nothing."""
    commitments = {
        c.code: c
        for c in Commitment.objects.filter(priority__strategy=strategy).select_related("priority")
    }
    partners = {p.slug: p for p in BilateralPartner.objects.all()}
    organisations = {o.slug: o for o in Organisation.objects.all()}
    programmes = {p.slug: p for p in Programme.objects.all()}
    ids = {int(cells[0].strip()) for _number, cells in table if ID.match(cells[0].strip())}
    existing = {
        a.pk: a
        for a in attach_links(
            Activity.objects.filter(pk__in=ids, commitment__priority__strategy=strategy)
            .select_related("commitment__priority", "programme", "county")
            .order_by("pk")
        )
    }

    rows, errors, seen = [], [], {}
    for number, raw in table:
        cells = dict(zip(HEADER, (c if c is None else restore(c) for c in raw), strict=True))
        row_errors = []

        def error(column, message, row_errors=row_errors, number=number):
            row_errors.append(RowError(number, column, str(message)))

        for name, value in cells.items():
            if value is not None and "\x00" in value:
                error(name, _("Contains a null character."))
                cells[name] = value.replace("\x00", "")

        original = None
        activity_id = cells["id"].strip()
        if activity_id:
            if not ID.match(activity_id) or int(activity_id) not in existing:
                error("id", _("No activity with this id in the strategy; leave id empty to add."))
            elif int(activity_id) in seen:
                error(
                    "id",
                    _("The same id is also on row %(row)d.") % {"row": seen[int(activity_id)]},
                )
            else:
                seen[int(activity_id)] = number
                original = existing[int(activity_id)]

        commitment = commitments.get(cells["commitment"].strip())
        if commitment is None:
            error(
                "commitment",
                _("Unknown commitment %(code)r; use one of %(codes)s.")
                % {"code": cells["commitment"].strip(), "codes": ", ".join(commitments)},
            )
        kind = cells["kind"].strip()
        if kind not in Activity.Kind.values:
            error(
                "kind",
                _("Unknown kind %(kind)r; use one of %(kinds)s.")
                % {"kind": kind, "kinds": ", ".join(Activity.Kind.values)},
            )
        dates = {}
        for name in ("start_date", "end_date"):
            text = cells[name].strip()
            dates[name] = None
            if not text:
                if name == "start_date":
                    error(name, _("A date is required."))
                continue
            try:
                dates[name] = _parse_date(text)
            except ValueError:
                error(name, _("%(value)r is not a date; write YYYY-MM-DD.") % {"value": text})
        linked = {}
        for name, known in (("partners", partners), ("organisations", organisations)):
            codes = _codes(cells[name])
            unknown = [code for code in codes if code not in known]
            if unknown:
                error(
                    name,
                    _("Unknown codes: %(unknown)s. Known: %(known)s.")
                    % {"unknown": ", ".join(unknown), "known": ", ".join(sorted(known))},
                )
            linked[name] = [known[code] for code in dict.fromkeys(codes) if code in known]
        programme = None
        if cells["programme"].strip():
            programme = programmes.get(cells["programme"].strip())
            if programme is None:
                error(
                    "programme",
                    _("Unknown programme %(code)r. Known: %(known)s.")
                    % {"code": cells["programme"].strip(), "known": ", ".join(sorted(programmes))},
                )
        public = cells["public"].strip().lower()
        if public in YES:
            is_public = True
        elif public in NO:
            is_public = False
        elif not public:
            is_public = original.is_public if original else True
        else:
            error("public", _("Write yes or no."))
            is_public = True

        if not row_errors:
            # The rules are the workspace form's: what it refuses, the import refuses.
            form = ActivityRowForm(
                data={
                    **{name: cells[name] for name in TEXT_FIELDS},
                    "kind": kind,
                    "start_date": dates["start_date"],
                    "end_date": dates["end_date"],
                    "partners": [p.slug for p in linked["partners"]],
                    "organisations": [o.slug for o in linked["organisations"]],
                    "programme": programme.pk if programme else "",
                    "county": _county_code(cells["county"], original),
                    "is_public": is_public,
                    "version": original.updated_at.isoformat() if original else "",
                },
                instance=Activity() if original is None else Activity(**_fields(original)),
            )
            if form.is_valid():
                activity = form.instance
                activity.commitment = commitment
                activity.programme = programme
            else:
                for name, messages in form.errors.items():
                    column = FORM_COLUMNS.get(name, name if name in HEADER else "")
                    for message in messages:
                        error(column, message)
        if row_errors:
            errors.extend(row_errors)
            continue

        planned = PlannedRow(
            number,
            "create" if original is None else "update",
            activity,
            partners=linked["partners"],
            organisations=linked["organisations"],
        )
        if original is not None:
            activity.linked_partners = sorted(linked["partners"], key=lambda p: p.slug)
            activity.linked_organisations = sorted(linked["organisations"], key=lambda o: o.slug)
            old, new = activity_values(original), activity_values(activity)
            planned.changes = [
                (name, as_text(old[name]), as_text(new[name]))
                for name in HEADER
                if not _same(as_text(old[name]), as_text(new[name]))
            ]
            if not planned.changes:
                planned.action = "unchanged"
        rows.append(planned)
    return Plan(rows=rows, errors=errors)


def _county_code(cell: str | None, original: Activity | None) -> str:
    if cell is None:
        # A file from before the column: the activity keeps its county (a new one has none).
        return original.county.slug if original and original.county else ""
    return cell.strip()


def _fields(activity: Activity) -> dict:
    # A detached copy, so checking a row never alters the instance it is compared with.
    return {f.attname: getattr(activity, f.attname) for f in Activity._meta.concrete_fields}


@transaction.atomic
def apply_plan(plan: Plan, *, user) -> None:
    if not plan.is_valid:
        raise ValueError("Only a plan without errors can be applied.")
    for planned in plan.changed_rows:
        activity = planned.activity
        if planned.action == "create":
            activity.created_by = user
        activity.save()
        activity.partners.set(planned.partners)
        activity.organisations.set(planned.organisations)
