"""Django's own UI strings that its bokmål and nynorsk catalogues lack (Django 6.1).

Named here so that makemessages keeps them in our catalogue (locale/), which Django reads
before its own: the empty choice of every select, new in 6.1, was English on nb and nn pages.
tests/test_no_english_on_norwegian_pages.py (the site) and tests/test_no_english_in_the_admin.py
(the admin) find the next one.
"""

from django.utils.translation import gettext_noop

DJANGO_STRINGS = [
    # django/db/models/fields/__init__.py: BLANK_CHOICE_LABEL
    gettext_noop("- Select an option -"),
    # django/contrib/admin/templates/admin/app_list.html
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    # django/contrib/admin/templates/admin/base.html
    gettext_noop("Breadcrumbs"),
    gettext_noop("Sidebar"),
    # django/contrib/admin/templates/admin/nav_sidebar.html
    gettext_noop("Filter navigation items"),
    gettext_noop("Start typing to filter…"),
    # django/contrib/admin/templates/admin/color_theme_toggle.html
    gettext_noop("Toggle theme (current theme: auto)"),
    gettext_noop("Toggle theme (current theme: light)"),
    gettext_noop("Toggle theme (current theme: dark)"),
    # django/contrib/admin/templates/admin/actions.html
    gettext_noop("Run"),
    # django/contrib/admin/templates/admin/change_list_results.html
    gettext_noop("Select all objects on this page for an action"),
    # django/contrib/admin/templates/admin/change_list.html
    gettext_noop("Show counts"),
]
