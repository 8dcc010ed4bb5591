"""The admin dashboard's agreement follow-up line (templates/admin/index.html)."""

from django import template

from partners.models import AGREEMENT_NOTICE_DAYS, BilateralPartner

register = template.Library()


@register.simple_tag
def expiring_agreements() -> dict:
    partners = BilateralPartner.objects.agreement_expiring().order_by("agreement_expires")
    return {"partners": list(partners), "days": AGREEMENT_NOTICE_DAYS}
