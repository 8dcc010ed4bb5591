"""Agreement expiry is one rule, on the partner's QuerySet: the admin's filter and dashboard
line read it from there."""

import datetime

import pytest

from partners.models import AGREEMENT_NOTICE_DAYS, BilateralPartner

TODAY = datetime.date(2026, 6, 30)


@pytest.fixture
def partners(db):
    for name, days in [("Expired", -1), ("Today", 0), ("Day180", 180), ("Day181", 181)]:
        BilateralPartner.objects.create(
            name=name,
            slug=name.lower(),
            country="DE",
            agreement_expires=TODAY + datetime.timedelta(days=days),
        )
    BilateralPartner.objects.create(name="Open", slug="open", country="DE")


def names(queryset) -> set[str]:
    return {partner.name for partner in queryset}


def test_expiring_is_from_today_to_the_notice_days_inclusive(partners):
    assert AGREEMENT_NOTICE_DAYS == 180
    expiring = BilateralPartner.objects.agreement_expiring(today=TODAY)
    assert names(expiring) == {"Today", "Day180"}


def test_expiring_within_other_days(partners):
    assert names(BilateralPartner.objects.agreement_expiring(days=0, today=TODAY)) == {"Today"}


def test_expired_is_before_today(partners):
    assert names(BilateralPartner.objects.agreement_expired(today=TODAY)) == {"Expired"}


def test_today_is_the_local_date_by_default(db):
    from django.utils import timezone

    local = timezone.localdate()
    BilateralPartner.objects.create(name="Now", slug="now", country="DE", agreement_expires=local)
    assert names(BilateralPartner.objects.agreement_expiring(days=0)) == {"Now"}
    assert names(BilateralPartner.objects.agreement_expired()) == set()


def test_there_is_no_second_rule_on_the_instance():
    """The per-object check with date.today() (server time, not Oslo's) was dead code."""
    assert not hasattr(BilateralPartner, "agreement_expires_within")
