"""No script writes invented data into a database unless DEBUG is on or it was given
--allow-example-data (priorities.demo.may_write_examples): load_demo, bench/seed.py (which
bench/run.py tells) and the fault drill (which `make faults` tells)."""

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from priorities.demo import ALLOW_FLAG, ExampleDataRefused, may_write_examples
from priorities.models import Activity, StatusUpdate

ROOT = Path(settings.BASE_DIR)


def run_script(*args: str, tmp_path, debug: str = "0") -> subprocess.CompletedProcess:
    """A script as a person would run it, against an empty SQLite file of its own."""
    env = {
        **os.environ,
        "DEBUG": debug,
        "SECRET_KEY": "test-only-not-secret",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "CACHE_DIR": str(tmp_path / "cache"),
        "REDIS_URL": "",
        "LOG_LEVEL": "WARNING",
        # The fault drill asks whether Redis answers: nowhere, here.
        "FAULTS_REDIS_URL": "redis://127.0.0.1:1/0",
    }
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_the_rule_allows_debug_or_the_flag_only(settings):
    settings.DEBUG = False
    with pytest.raises(ExampleDataRefused, match=re.escape(ALLOW_FLAG)):
        may_write_examples("a script", allowed=False)
    may_write_examples("a script", allowed=True)
    settings.DEBUG = True
    may_write_examples("a script", allowed=False)


def test_load_demo_refuses_without_debug_or_the_flag(strategy, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match=re.escape(ALLOW_FLAG)):
        call_command("load_demo", stdout=io.StringIO())
    assert not Activity.objects.exists()
    assert not StatusUpdate.objects.exists()


def test_load_demo_loads_with_the_flag_when_debug_is_off(strategy, settings):
    settings.DEBUG = False
    call_command("load_demo", ALLOW_FLAG, activities=5, stdout=io.StringIO())
    assert Activity.objects.filter(is_example=True).count() == 5


def test_load_demo_refusal_is_a_message_and_a_non_zero_exit(tmp_path):
    result = run_script("manage.py", "load_demo", tmp_path=tmp_path)
    assert result.returncode != 0
    assert "only runs with DEBUG=1" in result.stderr
    assert ALLOW_FLAG in result.stderr
    assert "Traceback" not in result.stderr


def test_bench_seed_refuses_without_debug_or_the_flag(tmp_path):
    for command in (["setup"], ["activities", "10", "1"]):
        result = run_script("bench/seed.py", *command, tmp_path=tmp_path)
        assert result.returncode != 0
        assert "Refused" in result.stderr and ALLOW_FLAG in result.stderr
        assert "Traceback" not in result.stderr
    # Refused before it touched the database: nothing was created.
    assert not (tmp_path / "empty.sqlite3").exists() or (
        (tmp_path / "empty.sqlite3").stat().st_size == 0
    )


def test_bench_seed_goes_on_with_the_flag(tmp_path):
    # Past the refusal: an unknown command is the next thing it says.
    result = run_script("bench/seed.py", ALLOW_FLAG, "nothing", tmp_path=tmp_path)
    assert "unknown command 'nothing'" in result.stderr
    assert "Refused" not in result.stderr


def test_bench_seed_goes_on_with_debug(tmp_path):
    result = run_script("bench/seed.py", "nothing", tmp_path=tmp_path, debug="1")
    assert "unknown command 'nothing'" in result.stderr


def test_bench_run_tells_seed_it_may_write_examples():
    """bench/run.py runs the site with DEBUG=0: every call of seed.py passes the flag."""
    from bench import run

    assert run.ALLOW_EXAMPLE_DATA == ALLOW_FLAG
    source = (ROOT / "bench" / "run.py").read_text()
    calls = re.findall(r'"bench/seed\.py",\s*(\w+)', source)
    # Every call (setup, activities, the annual round, the full appendix's PDF, the
    # reminders' people) passes it.
    assert len(calls) == source.count('"bench/seed.py"') == 5
    assert set(calls) == {"ALLOW_EXAMPLE_DATA"}


def test_the_fault_drill_refuses_without_the_flag(tmp_path):
    result = run_script("scripts/faults.py", tmp_path=tmp_path)
    assert result.returncode != 0
    assert "Refused" in result.stderr and ALLOW_FLAG in result.stderr
    assert "Setting up database" not in result.stdout


def test_make_faults_passes_the_flag():
    makefile = (ROOT / "Makefile").read_text()
    assert f"scripts/faults.py {ALLOW_FLAG}" in makefile
