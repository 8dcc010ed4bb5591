"""What was sent to whom: one row per reminder item, so that nothing is sent twice.

"Sent once" is the unique constraint, not a look-up before sending: a run claims an item by
inserting its row in the transaction that sends the e-mail. A second run at the same time
waits on that insert and then fails it (the item is skipped); if the send fails, the
transaction rolls back and the next run sends the item again (reminders/sending.py).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    # object: the entry; period: the step, in days from the round's deadline ("-14", "+7").
    ROUND_DEADLINE = "round_deadline", _("Reporting deadline")
    # object: the measure; period: the ISO week ("2026-W48"), so once a week.
    MEASURE_OVERDUE = "measure_overdue", _("Measure past its deadline")
    # object: none (0); period: the ISO week.
    DIGEST = "digest", _("Weekly digest")


class SentReminder(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="sent_reminders",
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    object_id = models.PositiveBigIntegerField(_("object id"))
    period = models.CharField(_("period"), max_length=20)
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "object_id", "period"], name="unique_sent_reminder"
            )
        ]
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.object_id} {self.period} → {self.user}"
