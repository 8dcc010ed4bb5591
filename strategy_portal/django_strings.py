"""Django's own UI strings that its bokmål and nynorsk catalogues lack (Django 6.1).

Named here so that makemessages keeps them in our catalogue (locale/), which Django reads
before its own: the empty choice of every select, new in 6.1, was English on nb and nn pages.
tests/test_no_english_on_norwegian_pages.py finds the next one.
"""

from django.utils.translation import gettext_noop

DJANGO_STRINGS = [
    # django/db/models/fields/__init__.py: BLANK_CHOICE_LABEL
    gettext_noop("- Select an option -"),
]
