"""Schemathesis, an OpenAPI testing tool, finds nothing against the running portal.

The CLI, as a user would run it (`schemathesis run <document> --checks all`), against
live_server and the document it serves: every check, positive and negative data (values the
document allows are accepted, others refused with a 400), methods the document does not list
(405 with Allow), every response against its schema. Real content, so that answers are not
empty: the strategy, public and internal activities with partners, organisations and
programmes, a status. Bounded and seeded, so it takes well under a minute and finds the same
cases each run.
"""

import datetime
import subprocess
import sys

import pytest

from partners.models import BilateralPartner, Organisation, Programme
from priorities.models import Activity, Commitment, Status
from projects.models import State
from tests.factories import make_project

EXAMPLES_PER_OPERATION = 20
SEED = 2026


@pytest.fixture
def content(strategy, editor_user):
    commitments = list(Commitment.objects.select_related("priority"))
    partners = list(BilateralPartner.objects.all())
    organisations = list(Organisation.objects.all())
    programmes = list(Programme.objects.all())
    for i in range(16):
        activity = Activity.objects.create(
            commitment=commitments[i % len(commitments)],
            title=f"Møte om samarbeid {i}",
            kind=Activity.Kind.values[i % len(Activity.Kind.values)],
            start_date=datetime.date(strategy.period_start + i % 3, 1 + i % 12, 1 + i % 28),
            place="Skien",
            country="BE" if i % 2 else "",
            description="Felles søknad om midler.",
            programme=programmes[i % len(programmes)] if i % 3 == 0 else None,
            is_public=i % 4 != 0,
        )
        activity.partners.add(partners[i % len(partners)])
        activity.organisations.add(organisations[i % len(organisations)])
    commitments[0].set_status(status=Status.ON_TRACK, assessment="I rute.", author=editor_user)
    # Projects, public and internal, granted and not (/api/projects/).
    for i, state in enumerate(State.values):
        project = make_project(
            acronym=f"P{i}", state=state, is_public=i % 3 != 0, programme=programmes[i % 2]
        )
        project.partners.add(partners[i % len(partners)])
        project.commitments.add(commitments[i])


def test_schemathesis_finds_nothing(live_server, content, tmp_path):
    document = live_server.url + "/api/openapi.json"
    command = [
        *(sys.executable, "-m", "schemathesis.cli", "run", document),
        *("--checks", "all", "--url", live_server.url),
        *("--max-examples", str(EXAMPLES_PER_OPERATION), "--seed", str(SEED)),
        *("--workers", "1", "--request-timeout", "20", "--no-color"),
        *("--generation-database", "none"),
    ]
    # In tmp_path: the CLI keeps state in a .schemathesis folder of its working directory.
    run = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "No issues found" in run.stdout, run.stdout
