"""manage.py send_reminders against a real SMTP server (aiosmtpd, tests/reminders/smtp.py):
the right people get one e-mail each with their items, in their language, with links that
open; a second run sends nothing; a refused send is retried by the next run."""

import contextlib
import datetime
import io
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.models import Profile
from planning.models import State
from reminders.models import Kind, SentReminder
from reminders.sending import deadline_step
from reporting.models import Entry, EntryState
from tests.factories import get_commitment, make_measure, make_owner, make_user
from tests.reminders.conftest import SITE_URL
from tests.reporting.helpers import YEAR, entry_of, open_round

TODAY = datetime.date(YEAR, 6, 1)


def run(today=TODAY) -> None:
    call_command("send_reminders", "--today", today.isoformat(), stdout=io.StringIO())


def owner(code: str, username: str, *, language=None, digest=True):
    user = make_owner(get_commitment(code), username)
    user.email = f"{username}@example.org"
    user.save()
    if language:
        Profile.objects.create(user=user, language=language, weekly_digest=digest)
    return user


@pytest.fixture
def people(strategy):
    """A round due in 14 days; owners in three languages; an overdue measure."""
    the_round = open_round(deadline=TODAY + datetime.timedelta(days=14))
    kari = owner("1.1", "kari", language="nb")
    ola = owner("2.1", "ola", language="nn", digest=False)
    per = owner("3.1", "per")  # no profile: bokmål, digest on
    nils = owner("4.1", "nils")  # no e-mail address: nothing to send to
    nils.email = ""
    nils.save()
    Entry.objects.filter(pk=entry_of(the_round, "3.1").pk).update(state=EntryState.SUBMITTED)
    Entry.objects.filter(pk=entry_of(the_round, "4.1").pk).update(state=EntryState.APPROVED)
    emma = make_user("emma", email="emma@example.org")
    Profile.objects.create(user=emma, language="en")
    overdue = make_measure(
        get_commitment("3.2"), title="Overdue workshop", responsible=emma,
        deadline=TODAY - datetime.timedelta(days=10),
    )  # fmt: skip
    done = make_measure(
        get_commitment("3.2"), title="Finished workshop", responsible=emma,
        deadline=TODAY - datetime.timedelta(days=10),
    )  # fmt: skip
    done.set_state(state=State.DONE, changed_on=TODAY - datetime.timedelta(days=11))
    make_measure(
        get_commitment("3.2"), title="Future workshop", responsible=emma,
        deadline=TODAY + datetime.timedelta(days=10),
    )  # fmt: skip
    return {
        "round": the_round, "kari": kari, "ola": ola, "per": per, "emma": emma,
        "overdue": overdue,
    }  # fmt: skip


def links(message) -> list[str]:
    return re.findall(re.escape(SITE_URL) + r"\S+", message.get_content())


def opens(user, link: str) -> str:
    """The page the link leads to, as the person sees it signed in."""
    client = Client()
    client.force_login(user)
    response = client.get(urlsplit(link).path)
    assert response.status_code == 200, link
    return response.text


def test_each_person_gets_one_email_with_their_items_in_their_language(smtp, people):
    run()

    recipients = sorted(rcpt for rcpts, _m in smtp.messages for rcpt in rcpts)
    assert recipients == [
        "emma@example.org", "kari@example.org", "ola@example.org", "per@example.org",
    ]  # fmt: skip

    # Kari (bokmål): her entry's reminder and the digest of her quiet commitment.
    [kari] = smtp.to("kari@example.org")
    assert kari["Subject"] == "Strategiportalen: dette må du følge opp"
    body = kari.get_content()
    assert "Rapportering: svarene dine er ikke sendt inn ennå" in body
    assert "fristen er 15. juni" in body and "om 14 dager" in body
    assert "Forpliktelsene dine som har blitt stille" in body
    entry = entry_of(people["round"], "1.1")
    entry_link, commitment_link, settings_link = links(kari)
    assert entry_link == f"{SITE_URL}/rapportering/{YEAR}/svar/{entry.pk}/"
    assert "Vurdering" in opens(people["kari"], entry_link)
    assert commitment_link == SITE_URL + get_commitment("1.1").get_absolute_url()
    opens(people["kari"], commitment_link)
    assert settings_link == f"{SITE_URL}/accounts/innstillinger/"
    opens(people["kari"], settings_link)

    # Ola (nynorsk, digest off): the reminder only, with nynorsk links.
    [ola] = smtp.to("ola@example.org")
    assert ola["Subject"] == "Strategiportalen: dette må du følgje opp"
    body = ola.get_content()
    assert "Rapportering: svara dine er ikkje sende inn enno" in body
    assert "stille" not in body
    entry_link, settings_link = links(ola)
    assert entry_link.startswith(f"{SITE_URL}/nn/rapportering/")
    assert 'lang="nn"' in opens(people["ola"], entry_link)

    # Emma (English): the overdue measure only, not the done or future one.
    [emma] = smtp.to("emma@example.org")
    assert emma["Subject"] == "Strategiportalen: what needs your attention"
    body = emma.get_content()
    assert "Measures past their deadline" in body and "Overdue workshop" in body
    assert "Finished workshop" not in body and "Future workshop" not in body
    measure_link = links(emma)[0]
    assert measure_link.startswith(f"{SITE_URL}/en/handlingsplan/")
    assert measure_link.endswith(f"#measure-{people['overdue'].pk}")
    assert "Overdue workshop" in opens(people["emma"], measure_link)

    # Per: his entry is submitted, so only the digest.
    [per] = smtp.to("per@example.org")
    body = per.get_content()
    assert "Rapportering" not in body and "Forpliktelsene dine som har blitt stille" in body


def test_a_second_run_sends_nothing(smtp, people):
    run()
    sent = len(smtp.messages)
    records = SentReminder.objects.count()

    run()

    assert len(smtp.messages) == sent == 4
    assert SentReminder.objects.count() == records


def test_three_days_before_the_owners_are_reminded_again(smtp, people):
    run()
    smtp.messages.clear()

    run(TODAY + datetime.timedelta(days=2))
    assert smtp.to("kari@example.org") == []

    run(TODAY + datetime.timedelta(days=11))

    [kari] = smtp.to("kari@example.org")
    assert "om 3 dager" in kari.get_content()
    assert len(smtp.to("ola@example.org")) == 1


def test_a_refused_send_is_not_recorded_and_goes_out_next_run(smtp, people):
    smtp.refuse = 1

    with pytest.raises(CommandError, match="1 e-mails could not be sent"):
        run()

    assert len(smtp.messages) == 3
    refused = (
        {"emma", "kari", "ola", "per"} - {m[0][0].split("@")[0] for m in smtp.messages}
    ).pop()
    assert not SentReminder.objects.filter(user__username=refused).exists()

    run()

    assert len(smtp.to(f"{refused}@example.org")) == 1
    assert len(smtp.messages) == 4


def test_no_digest_when_turned_off_but_deadline_reminders_still_come(smtp, people):
    Profile.objects.filter(user=people["kari"]).update(weekly_digest=False)

    run()

    [kari] = smtp.to("kari@example.org")
    assert "stille" not in kari.get_content()
    assert "Rapportering" in kari.get_content()
    assert not SentReminder.objects.filter(user=people["kari"], kind=Kind.DIGEST).exists()


@pytest.mark.parametrize(
    ("offset", "step"),
    [
        (-15, None), (-14, "-14"), (-4, "-14"), (-3, "-3"), (-1, "-3"), (0, "+0"), (6, "+0"),
        (7, "+7"), (13, "+7"), (14, "+14"), (15, None),
    ],
)  # fmt: skip
def test_the_reminder_steps_around_a_deadline(strategy, offset, step):
    the_round = open_round(deadline=TODAY, grace_days=14)

    assert deadline_step(the_round, TODAY + datetime.timedelta(days=offset)) == step


def test_every_day_of_a_round_sends_each_step_once(smtp, strategy):
    """Run daily from three weeks before the deadline to after the grace period: the owner
    gets the reminders 14 and 3 days before, on the day and weekly in the grace period."""
    the_round = open_round(deadline=TODAY, grace_days=14)
    user = owner("1.1", "kari", language="nb", digest=False)

    for offset in range(-21, 20):
        run(TODAY + datetime.timedelta(days=offset))

    assert len(smtp.to("kari@example.org")) == 5
    steps = SentReminder.objects.filter(user=user, kind=Kind.ROUND_DEADLINE)
    assert sorted(steps.values_list("period", flat=True)) == ["+0", "+14", "+7", "-14", "-3"]
    assert set(steps.values_list("object_id", flat=True)) == {entry_of(the_round, "1.1").pk}


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_email_once(settings, smtp):
    """Both runs find the same items; the unique constraint lets one claim each, the other
    waits on the insert and skips. The server is slow, so the runs overlap."""
    from django.db import connections

    call_command("load_strategy", stdout=io.StringIO())
    open_round(deadline=TODAY + datetime.timedelta(days=14))
    for number, code in enumerate(["1.1", "1.2", "2.1", "3.1"]):
        owner(code, f"owner{number}")
    smtp.delay = 0.2
    start = threading.Barrier(2)

    def one_run():
        try:
            start.wait()
            with contextlib.suppress(CommandError):
                run()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda _n: one_run(), range(2)))

    recipients = sorted(r for rcpts, _m in smtp.messages for r in rcpts)
    assert recipients == [f"owner{n}@example.org" for n in range(4)]
