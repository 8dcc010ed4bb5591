"""The admin dashboard's agreement follow-up line (templates/admin/index.html)."""

from django import template

from partners.admin import AGREEMENT_NOTICE_DAYS, agreements_expiring
from partners.models import BilateralPartner

register = template.Library()


@register.simple_tag
def expiring_agreements() -> dict:
    partners = agreements_expiring(BilateralPartner.objects.all()).order_by("agreement_expires")
    return {"partners": list(partners), "days": AGREEMENT_NOTICE_DAYS}
