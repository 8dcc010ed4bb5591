"""Every UI string is translated into bokmål and nynorsk, and the compiled files match.

CI runs makemessages before this test, so a string added to the code without a translation
fails here.
"""

import gettext
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale"
FIELD = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$')


def entries(po_file: Path) -> list[dict]:
    """A small .po reader: each entry's fields and flags."""
    result, entry, field = [], {}, None
    for line in po_file.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry:
                result.append(entry)
            entry, field = {}, None
        elif line.startswith("#,"):
            entry["flags"] = line[2:].strip()
        elif line.startswith("#"):
            continue
        elif match := FIELD.match(line):
            field = match.group(1)
            entry[field] = match.group(2)
        elif line.startswith('"') and field:
            entry[field] += line[1:-1]
    return [e for e in result if e.get("msgid")]  # the header has an empty msgid


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_every_string_is_translated(language):
    po = entries(LOCALE / language / "LC_MESSAGES" / "django.po")
    assert len(po) > 300
    untranslated = [
        e["msgid"]
        for e in po
        if "fuzzy" in e.get("flags", "")
        or not all(v for k, v in e.items() if k.startswith("msgstr"))
    ]
    assert untranslated == []


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_compiled_translations_match_the_po_file(language):
    directory = LOCALE / language / "LC_MESSAGES"
    with open(directory / "django.mo", "rb") as mo:
        catalog = gettext.GNUTranslations(mo)
    for entry in entries(directory / "django.po"):
        msgid = entry["msgid"].encode().decode("unicode_escape").encode("latin-1").decode()
        if "msgid_plural" in entry or "msgctxt" in entry:
            continue
        expected = entry["msgstr"].encode().decode("unicode_escape").encode("latin-1").decode()
        assert catalog.gettext(msgid) == expected, msgid
