"""Every page has a meta description in its language (issue 13, item 6).

Search engines and link previews show it; a screen reader user who follows a shared link hears
it. The crawl is the Nu HTML Checker's (tests/test_valid_html.py): every page of the portal, as
anonymous, staff and editor, in bokmål, nynorsk and English, with the answers to forms and the
error pages.
"""

import html
import re
from pathlib import Path

from django.test import Client

# content: the crawl's fixture (public, internal and example activities, status histories).
from tests.test_valid_html import PREFIXES, Pages, by_hand, content, crawl, starts  # noqa: F401

META = re.compile(r'<meta name="description" content="([^"]*)">')
LANG = re.compile(r'<html lang="([a-z]+)">')


def test_every_page_has_a_description_in_its_language(
    content,  # noqa: F811
    staff_user,
    editor_user,
    tmp_path,
):
    clients = {"anonymous": Client(), "staff": Client(), "editor": Client()}
    clients["staff"].force_login(staff_user)
    clients["editor"].force_login(editor_user)
    pages = Pages(tmp_path)
    for persona, client in clients.items():
        crawl(client, persona, starts(persona, content), pages)
    by_hand(clients, pages, content)

    missing, descriptions = [], {}
    for name, about in pages.about.items():
        text = Path(tmp_path / name).read_text()
        found = META.findall(text)
        if len(found) != 1 or len(html.unescape(found[0]).split()) < 5 or "<" in found[0]:
            missing.append(f"{about}: {found}")
        else:
            descriptions[about] = (LANG.search(text).group(1), html.unescape(found[0]))
    assert not missing, f"{len(missing)} of {len(pages.about)} pages:\n" + "\n".join(missing)

    # In the page's language: the same page in English is described in other words.
    for path in ("/", "/aktiviteter/", "/partnere/", "/rapport/", "/tilgjengelighetserklaering/"):
        nb, nn, en = (
            descriptions[f"anonymous {PREFIXES[lang]}{path} (200)"] for lang in ("nb", "nn", "en")
        )
        assert (nb[0], nn[0], en[0]) == ("nb", "nn", "en")
        assert en[1] != nb[1] and en[1] != nn[1], path
