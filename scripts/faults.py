#!/usr/bin/env python
"""Fault drill: restart PostgreSQL under load and report what visitors saw.

    make faults       (scripts/faults.py --allow-example-data)

Needs a local PostgreSQL cluster that pg_ctlcluster controls (as on the CI machine), wrk,
and root. It creates its own database, serves the app with gunicorn on 127.0.0.1, sends
requests from a few threads, stops PostgreSQL for a few seconds and starts it again, then
runs wrk for 30 s at 50 connections against the public pages. Only loopback is loaded.

It writes 2,000 invented example activities and a drill user into its database with DEBUG
off, so it runs only when told so with --allow-example-data (priorities.demo.ALLOW_FLAG).

Passes when: no request fails with anything but a 503 during the outage, every request
after it succeeds without restarting the app, and wrk sees zero errors.
"""

import collections
import http.client
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
HOST, PORT = "127.0.0.1", int(os.environ.get("FAULTS_PORT", "8020"))
DB_NAME = "strategiportalen_faults"
# Which local cluster to stop and start: by default the machine's "main" on 5432. Point it at
# a cluster of its own (pg_createcluster) to leave other users of "main" undisturbed.
PG_CLUSTER = os.environ.get("FAULTS_PG_CLUSTER", "main")
PG_PORT = os.environ.get("FAULTS_PG_PORT", "5432")
DATABASE_URL = f"postgres://postgres@127.0.0.1:{PG_PORT}/{DB_NAME}"
OUTAGE_SECONDS = 4
PUBLIC_PATHS = [
    "/",
    "/en/",
    "/prioriteringer/medlemsorganisasjoner/",
    "/prioriteringer/bilaterale-avtaler/1/",
    "/partnere/",
    "/partnere/kaunas/",
]


def env(**extra) -> dict:
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SECURE_HTTPS": "0",
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": DATABASE_URL,
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def redis_answers(url: str) -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=2).ping())
    except Exception:
        return False


# As in production: the page cache shared through Redis when it answers, else through files
# (a directory of the drill's own), as one server's workers share it.
REDIS_URL = os.environ.get("FAULTS_REDIS_URL", "redis://127.0.0.1:6379/7")
ENV = (
    env(REDIS_URL=REDIS_URL, CACHE_KEY_PREFIX=f"faults-{secrets.token_hex(4)}")
    if redis_answers(REDIS_URL)
    else env(CACHE_DIR=tempfile.mkdtemp(prefix="strategiportalen-faults-cache-"))
)


def manage(*args: str, stdin: str | None = None) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=ENV,
        input=stdin,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


def psql(sql: str) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", PG_PORT, "-U", "postgres", "-d", "postgres", "-qc", sql],
        check=True,
        capture_output=True,
    )


def cluster() -> str:
    versions = sorted(os.listdir("/etc/postgresql"), key=lambda v: [int(p) for p in v.split(".")])
    return versions[-1]


def pg(action: str) -> None:
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", cluster(), PG_CLUSTER, action],
        check=True,
        capture_output=True,
    )


def get(path: str, cookie: str = "") -> int | str:
    conn = http.client.HTTPConnection(HOST, PORT, timeout=10)
    try:
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        response.read()
        return response.status
    except OSError as exc:
        return type(exc).__name__
    finally:
        conn.close()


SETUP_SESSION = """
from django.contrib.auth.models import Group, User
from django.contrib.sessions.backends.db import SessionStore
from priorities.demo import example_activities
example_activities(2000)
user = User.objects.create_user("faults-staff", password=None, first_name="Drill")
user.groups.add(Group.objects.get(name="Saksbehandler"))
session = SessionStore()
session["_auth_user_id"] = str(user.pk)
session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
session["_auth_user_hash"] = user.get_session_auth_hash()
session.create()
print("SESSION", session.session_key)
"""


# The flag that allows invented data with DEBUG off (priorities.demo.ALLOW_FLAG; this runs
# outside Django, so the text is repeated).
ALLOW_FLAG = "--allow-example-data"


def main(argv: list[str]) -> int:
    if ALLOW_FLAG not in argv:
        sys.exit(
            "Refused: the fault drill writes invented example data (2,000 activities, a drill "
            f"user) into a database of its own ({DB_NAME}) with DEBUG off. Run it with "
            f"{ALLOW_FLAG} (make faults does)."
        )
    if not shutil.which("wrk"):
        sys.exit("wrk is needed: apt-get install wrk")
    print(f"Setting up database {DB_NAME} with 2,000 example activities …", flush=True)
    psql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    psql(f"CREATE DATABASE {DB_NAME}")
    manage("migrate", "--no-input")
    manage("load_strategy")
    manage("collectstatic", "--no-input")
    session_key = re.search(r"SESSION (\w+)", manage("shell", stdin=SETUP_SESSION)).group(1)
    staff_cookie = f"sessionid={session_key}"

    server = subprocess.Popen(
        [GUNICORN, "strategy_portal.wsgi", "--workers", "2", "--bind", f"{HOST}:{PORT}"],
        cwd=ROOT,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while get("/") != 200:
            if time.monotonic() > deadline:
                sys.exit("gunicorn did not come up")
            time.sleep(0.2)
        ok = drill(staff_cookie) & soak()
    finally:
        server.terminate()
        server.wait(timeout=10)
        psql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    print("\nFault drill passed." if ok else "\nFault drill FAILED.")
    return 0 if ok else 1


def drill(staff_cookie: str) -> bool:
    """Four threads read pages (staff pages are uncached) while PostgreSQL stops and starts."""
    results = []  # (seconds since start, who, status)
    marks = {}
    stop = threading.Event()
    start = time.monotonic()

    def reader(cookie: str, who: str):
        i = 0
        while not stop.is_set():
            status = get(PUBLIC_PATHS[i % len(PUBLIC_PATHS)], cookie)
            results.append((time.monotonic() - start, who, status))
            i += 1

    visitors = [
        ("", "anonymous"),
        ("", "anonymous"),
        (staff_cookie, "staff"),
        (staff_cookie, "staff"),
    ]
    threads = [threading.Thread(target=reader, args=visitor) for visitor in visitors]
    for thread in threads:
        thread.start()
    time.sleep(4)
    marks["stop"] = time.monotonic() - start
    pg("stop")
    time.sleep(OUTAGE_SECONDS)
    pg("start")
    marks["started"] = time.monotonic() - start
    time.sleep(8)
    stop.set()
    for thread in threads:
        thread.join()

    # "after" starts once PostgreSQL accepts connections again plus a second of grace.
    def phase(t: float) -> str:
        if t < marks["stop"]:
            return "before"
        if t < marks["started"] + 1:
            return "outage"
        return "after"

    table = collections.defaultdict(collections.Counter)
    for t, who, status in results:
        table[(phase(t), who)][status] += 1
    print(
        f"\nPage cache: {'Redis' if 'REDIS_URL' in ENV else 'files shared by the workers'}. "
        f"PostgreSQL stopped at {marks['stop']:.1f} s, running again at {marks['started']:.1f} s"
    )
    print(f"{'phase':<8} {'visitor':<10} responses")
    for ph in ("before", "outage", "after"):
        for who in ("anonymous", "staff"):
            print(f"{ph:<8} {who:<10} {dict(table[(ph, who)])}")

    bad_outage = [s for t, _, s in results if phase(t) == "outage" and s not in (200, 503)]
    bad_other = [s for t, _, s in results if phase(t) != "outage" and s != 200]
    print(f"errors during the outage other than 503: {len(bad_outage)}")
    print(f"errors before/after the outage: {len(bad_other)}")
    return not bad_outage and not bad_other


WRK_SCRIPT = """
paths = {%s}
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format(
    "WRK requests=%%d non2xx=%%d connect=%%d read=%%d write=%%d timeout=%%d"
    .. " p50=%%.1fms p99=%%.1fms\\n",
    summary.requests, summary.errors.status, summary.errors.connect, summary.errors.read,
    summary.errors.write, summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


def soak() -> bool:
    """wrk, 30 s at 50 connections over the public pages: zero errors expected."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as f:
        f.write(WRK_SCRIPT % ", ".join(f'"{p}"' for p in PUBLIC_PATHS))
        script = f.name
    result = subprocess.run(
        # A request slower than 10 s counts as an error (wrk's own default is 2 s).
        ["wrk", "-t2", "-c50", "-d30s", "--timeout", "10s", "-s", script, f"http://{HOST}:{PORT}/"],
        capture_output=True,
        text=True,
    )
    os.unlink(script)
    line = next((ln for ln in result.stdout.splitlines() if ln.startswith("WRK ")), "")
    rate = re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)
    print(
        f"\nwrk -t2 -c50 -d30s on {len(PUBLIC_PATHS)} public pages: "
        f"{rate.group(1) if rate else '?'} req/s; {line[4:]}"
    )
    counts = dict(re.findall(r"(\w+)=(\d+)", line))
    errors = sum(int(counts.get(k, 1)) for k in ("non2xx", "connect", "read", "write", "timeout"))
    return bool(line) and errors == 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
