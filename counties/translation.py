from modeltranslation.translator import TranslationOptions, register
from simple_history import register as track_history

from .models import County, PortalOwner


@register(County)
class CountyTranslationOptions(TranslationOptions):
    fields = ("name",)


# After the translation fields exist, so the history carries every language (as priorities).
# The logo's bytes stay out of the history: its hash records each change.
track_history(County, excluded_fields=["logo"], m2m_fields=[County.successors.field])
track_history(PortalOwner)
