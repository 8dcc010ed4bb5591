from modeltranslation.translator import TranslationOptions, register
from simple_history import register as track_history

from .models import BilateralPartner, MembershipFee, Organisation, Programme, Seat


@register(Organisation)
class OrganisationTranslationOptions(TranslationOptions):
    fields = ("name", "seats_and_role", "purpose", "description", "place")


@register(BilateralPartner)
class BilateralPartnerTranslationOptions(TranslationOptions):
    fields = ("name", "themes", "agreement", "description", "place")


@register(Seat)
class SeatTranslationOptions(TranslationOptions):
    fields = ("body",)


@register(Programme)
class ProgrammeTranslationOptions(TranslationOptions):
    fields = ("name", "description")


# History is registered here, after the translation fields exist, so the historical
# models carry every language's column (django-simple-history's documented way).
for model in (Organisation, BilateralPartner):
    track_history(model, m2m_fields=[model.held_by.field])
track_history(Programme)
track_history(MembershipFee)
track_history(Seat)
