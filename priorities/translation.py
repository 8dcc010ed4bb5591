from modeltranslation.translator import TranslationOptions, register
from simple_history import register as track_history

from .models import Commitment, FocusPoint, Priority, Strategy


@register(Strategy)
class StrategyTranslationOptions(TranslationOptions):
    fields = ("title", "adopted_by", "purpose", "sdg_statement")


@register(FocusPoint)
class FocusPointTranslationOptions(TranslationOptions):
    fields = ("text",)


@register(Priority)
class PriorityTranslationOptions(TranslationOptions):
    fields = ("title", "description")


@register(Commitment)
class CommitmentTranslationOptions(TranslationOptions):
    fields = ("text",)


# History is registered here, after the translation fields exist, so the historical
# models carry every language's column (django-simple-history's documented way).
for model in (Strategy, FocusPoint, Priority):
    track_history(model)
track_history(Commitment, m2m_fields=[Commitment.owners.field])
