"""No English UI string in the admin's bokmål and nynorsk pages, Django's own included.

The same check as tests/test_no_english_on_norwegian_pages.py, over the admin: its index,
and for every model of the portal's apps the list, the add form, a change form and the
history. Django 6.1's admin has strings its nb and nn catalogues lack (the theme toggle, the
navigation filter, "Show counts"); strategy_portal/django_strings.py names them so that our
catalogue translates them.
"""

import pytest
from django.conf import settings
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests import public_pages
from tests.test_no_english_on_norwegian_pages import english_strings, visible_texts

APPS = ("priorities", "partners")


def admin_paths() -> list[str]:
    paths = [reverse("admin:index")]
    for model, _model_admin in admin.site._registry.items():
        opts = model._meta
        if opts.app_label not in APPS:
            continue
        prefix = f"admin:{opts.app_label}_{opts.model_name}"
        paths += [reverse(f"{prefix}_changelist"), reverse(f"{prefix}_add")]
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            paths += [
                reverse(f"{prefix}_change", args=[first.pk]),
                reverse(f"{prefix}_history", args=[first.pk]),
            ]
    return paths


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_no_admin_page_shows_an_english_ui_string(strategy, admin_user, language):
    public_pages.seed(author=admin_user)
    english = english_strings(language)
    client = Client()
    client.force_login(admin_user)
    translation.activate(language)
    paths = admin_paths()
    found = {}
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        if hits := visible_texts(response.text, language) & english:
            found[path] = sorted(hits)
    translation.activate(settings.LANGUAGE_CODE)
    assert len(paths) > 20
    texts = sorted({text for hits in found.values() for text in hits})
    assert texts == [], "English in the admin: " + " | ".join(texts)
