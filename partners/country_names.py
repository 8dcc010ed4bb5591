"""Country names that django-countries does not give in nynorsk.

django-countries ships bokmål but no nynorsk catalogue. Nynorsk pages fall back to bokmål
(the site's default language) for most names, but not for the few whose English name changed:
django-countries looks for the older name in the active language only, finds none in nynorsk,
and shows the English. Those, and the names nynorsk writes otherwise than bokmål, are named
here so that our catalogue (locale/) translates them; tests/test_country_codes.py checks them.
"""

from django.utils.translation import gettext_noop

NYNORSK_NAMES = [
    gettext_noop("Austria"),
    gettext_noop("Bahamas (The)"),
    gettext_noop("Democratic Republic of the Congo"),
    gettext_noop("Falkland Islands (Malvinas)"),
    gettext_noop("Micronesia"),
    gettext_noop("Naoero"),
    gettext_noop("Norway"),
    gettext_noop("Palestine"),
    gettext_noop("Saint Helena"),
    gettext_noop("South Georgia"),
    gettext_noop("Vatican City"),
]
