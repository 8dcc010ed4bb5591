"""Reading pages as a browser does: a form's fields, the CSRF token, htmx's request headers.

The one HTML form parser of the tests (Python's own html.parser: no regex over markup).
"""

import json
from collections.abc import Callable
from html.parser import HTMLParser

NOT_SENT = ("submit", "button", "file", "image", "reset")


class _Page(HTMLParser):
    def __init__(self, is_form: Callable[[str], bool]):
        super().__init__()
        self.is_form = is_form
        self.fields: dict[str, list[str]] = {}
        self.body: dict[str, str | None] = {}
        self.csrf_tokens: list[str] = []
        self._inside = False
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "body":
            self.body = attrs
        if tag == "input" and name == "csrfmiddlewaretoken":
            self.csrf_tokens.append(attrs.get("value") or "")
        if tag == "form":
            self._inside = self.is_form(attrs.get("id") or "")
        if not self._inside:
            return
        if tag == "option" and self._select and "selected" in attrs:
            self.fields[self._select].append(attrs.get("value") or "")
        if not name or "disabled" in attrs:
            return  # a browser sends neither
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in NOT_SENT or (kind in ("checkbox", "radio") and "checked" not in attrs):
                return
            default = "on" if kind in ("checkbox", "radio") else ""
            self.fields.setdefault(name, []).append(attrs.get("value") or default)
        elif tag == "select":
            self._select = name
            self.fields.setdefault(name, [])
        elif tag == "textarea":
            self._textarea = name
            self.fields.setdefault(name, []).append("")

    def handle_endtag(self, tag):
        if tag == "form":
            self._inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea:
            # A browser drops a textarea's first newline.
            values = self.fields[self._textarea]
            values[-1] = values[-1].removeprefix("\n")
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea][-1] += data


def _parse(html: str, is_form: Callable[[str], bool] = lambda form_id: False) -> _Page:
    page = _Page(is_form)
    page.feed(html)
    page.close()
    return page


def form_fields(html: str, form_id: str | Callable[[str], bool]) -> dict[str, list[str]]:
    """What a browser sends for the form with id `form_id` (or whose id passes the test):
    every named, enabled input, select and textarea as it stands, each name's values in order.
    Empty when there is no such form (a redirect, say)."""
    is_form = form_id if callable(form_id) else form_id.__eq__
    return _parse(html, is_form).fields


def form_data(html: str, form_id: str | Callable[[str], bool]) -> dict:
    """form_fields() as the test client's post() takes it: one value as itself, more as a list."""
    fields = form_fields(html, form_id)
    assert fields, f"no form with id {form_id!r}"
    return {name: values[0] if len(values) == 1 else values for name, values in fields.items()}


def csrf_token(html: str) -> str:
    """The CSRF token of the page's first form."""
    tokens = _parse(html).csrf_tokens
    assert tokens, "no csrfmiddlewaretoken field on the page"
    return tokens[0]


def htmx_headers(html: str) -> dict:
    """The headers htmx sends with each request: the JSON of <body hx-headers> (or its valid
    HTML spelling, data-hx-headers)."""
    body = _parse(html).body
    value = body.get("data-hx-headers") or body.get("hx-headers")
    assert value, "no hx-headers on <body>"
    return json.loads(value)


def page_token(client, path: str) -> str:
    """The CSRF token htmx sends from the page at `path` (its <body>'s hx-headers)."""
    return htmx_headers(client.get(path).content.decode())["X-CSRFToken"]
