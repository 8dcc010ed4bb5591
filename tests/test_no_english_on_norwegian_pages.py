"""No English UI string on a bokmål or nynorsk page, Django's own strings included.

test_translations.py checks our catalogue; this checks what people see. Every page that
anonymous visitors, staff and editors open (the activity form fresh and with errors
included) is rendered in nb and nn, and each visible text (text nodes,
option labels, placeholder/title/aria-label/alt, button values) is compared with every
msgid of every catalogue the site uses (Django's, its contrib apps', the third-party apps',
ours). A text equal to a msgid that has no translation in that language, or whose
translation differs, is English the catalogues failed to translate: Django 6.1's new empty
choice "- Select an option -" was one (Django's nb and nn catalogues lack it).
"""

import gettext
from html.parser import HTMLParser
from pathlib import Path

import django
import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.translation import trans_real

from tests import public_pages
from tests.test_translations import entries

# Texts that are the same word in English and Norwegian, with no entry in a Norwegian
# catalogue to say so.
SAME_IN_NORWEGIAN: set[str] = set()
ATTRIBUTES = ("placeholder", "title", "aria-label", "alt")


class VisibleText(HTMLParser):
    """The texts a person reads, less code (<code>: column names, codes) and text marked as
    another language (lang="en" on "English" in the language menu)."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}

    def __init__(self, language: str):
        super().__init__()
        self.language = language
        self.stack: list[bool] = []  # per open element: is its content left out?
        self.texts: list[str] = []

    @property
    def hidden(self) -> bool:
        return bool(self.stack) and self.stack[-1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        other_language = attrs.get("lang") not in (None, self.language)
        if not (self.hidden or other_language):
            self.texts += [attrs[name] for name in ATTRIBUTES if attrs.get(name)]
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.texts.append(attrs["value"])
        if tag not in self.VOID:
            left_out = tag in ("script", "style", "code") or other_language
            self.stack.append(self.hidden or left_out)

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not self.hidden:
            self.texts.append(data)


def visible_texts(html: str, language: str = "nb") -> set[str]:
    parser = VisibleText(language)
    parser.feed(html)
    return {" ".join(text.split()) for text in parser.texts} - {""}


def _unescape(text: str) -> str:
    return text.encode().decode("unicode_escape").encode("latin-1").decode()


def _catalogues() -> list[Path]:
    """One .po file per catalogue the site loads: English where shipped, else any language
    (the msgids are the same in each)."""
    roots = [Path(django.__file__).parent / "conf", Path(settings.BASE_DIR)]
    roots += [Path(config.path) for config in apps.get_app_configs()]
    found = []
    for root in roots:
        english = root / "locale" / "en" / "LC_MESSAGES" / "django.po"
        others = sorted(root.glob("locale/*/LC_MESSAGES/django.po"))
        if english.exists():
            found.append(english)
        elif others:
            found.append(others[0])
    return found


def english_strings(language: str) -> set[str]:
    """Every msgid that, shown as it is, is not the text `language` has for it."""
    msgids = {
        _unescape(entry["msgid"])
        for po in _catalogues()
        for entry in entries(po)
        if "msgid_plural" not in entry and "msgctxt" not in entry
    }
    catalog = trans_real.translation(language)
    # A text that translates some msgid is right in this language (nynorsk "Filter" for
    # "Filters"), even where it is some other msgid's English.
    own = set()
    for table in _catalogues_of(catalog):
        own |= {text for text in table.values() if isinstance(text, str)}
    english = {
        msgid
        for msgid in msgids
        if catalog.gettext(msgid) != msgid
        or not any(msgid in table for table in _catalogues_of(catalog))
    }
    return english - own - SAME_IN_NORWEGIAN


def _catalogues_of(catalog: gettext.NullTranslations) -> list[dict]:
    """The language's merged catalogue and its fallbacks' (nn falls back to nb)."""
    tables = []
    while catalog is not None:
        if hasattr(catalog, "_catalog"):
            tables.append(dict(catalog._catalog.items()))
        catalog = catalog._fallback
    return tables


def pages(data) -> dict[str, list[str]]:
    commitment = data["commitment"]
    base = commitment.get_absolute_url()
    activity = data["public"].pk
    anonymous = [
        "/",
        commitment.priority.get_absolute_url(),
        base,
        f"/aktiviteter/{activity}/",
        "/aktiviteter/?q=m%C3%B8te",
        "/partnere/",
        f"/partnere/{data['kaunas'].slug}/",
        f"/partnere/organisasjoner/{data['nsc'].slug}/",
        f"/partnere/{data['kaunas'].slug}/brief/",
        f"/partnere/organisasjoner/{data['nsc'].slug}/brief/",
        "/partnere/kart/",
        "/rapport/",
        "/tilgjengelighetserklaering/",
        "/accounts/login/",
        "/ingen-slik-side/",
    ]
    staff = [
        base,
        "/mitt-arbeid/",
        f"{base}aktiviteter/ny/",
        f"{base}status/",
        f"/aktiviteter/{activity}/endre/",
        f"/aktiviteter/{activity}/historikk/",
        f"/partnere/{data['kaunas'].slug}/brief/",
        f"/rapport/{data['public'].start_date.year}/",
        "/import/",
        "/accounts/password_change/",
    ]
    return {"anonymous": anonymous, "editor": staff}


@pytest.fixture
def data(strategy, editor_user):
    return public_pages.seed(author=editor_user)


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_no_page_shows_an_english_ui_string(data, editor_user, language):
    english = english_strings(language)
    assert "- Select an option -" in english or "- Select an option -" in SAME_IN_NORWEGIAN
    clients = {"anonymous": _client(), "editor": _client(editor_user)}
    prefix = "" if language == settings.LANGUAGE_CODE else f"/{language}"
    found = {}
    base = data["commitment"].get_absolute_url()  # unprefixed, before a request switches
    for who, paths in pages(data).items():
        for path in paths:
            response = clients[who].get(prefix + path)
            assert response.status_code in (200, 404), (who, path, response.status_code)
            hits = visible_texts(response.text, language) & english
            if hits:
                found[f"{who} {path}"] = sorted(hits)
    # The activity form with errors: Django's own error messages.
    response = clients["editor"].post(f"{prefix}{base}aktiviteter/ny/", {"title": ""})
    assert response.status_code == 422
    if hits := visible_texts(response.text, language) & english:
        found["editor POST activity form"] = sorted(hits)
    translation.activate(settings.LANGUAGE_CODE)
    assert found == {}


def test_the_check_sees_an_option_label_and_an_attribute():
    html = '<select><option value="">- Select an option -</option></select><a title="Close">x</a>'
    assert visible_texts(html) == {"- Select an option -", "Close", "x"}


def test_the_check_leaves_out_code_scripts_and_text_in_another_language():
    html = (
        '<p>Les <code>title</code></p><script>alert("Close")</script>'
        '<a lang="en" title="Switch">English</a><img alt="Bilde"><a lang="nb">Norsk</a>'
    )
    assert visible_texts(html, "nb") == {"Les", "Bilde", "Norsk"}
