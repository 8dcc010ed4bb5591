#!/usr/bin/env python
"""The benchmark behind `make bench`: pages at 10,000 and 50,000 activities against a static file.

Creates a PostgreSQL database of its own (BENCH_DB, strategiportalen_bench: dropped and
created again), loads the strategy and generated example activities, serves the app as the
README's "Deploying" shows it (gunicorn, 2 workers, and the task worker `manage.py db_worker`,
production settings) on 127.0.0.1 in both
cache set-ups, and measures with wrk, in one run:

- "files": one server without REDIS_URL, the shared cache in files (CACHE_DIR);
- "redis": with REDIS_URL, as several app servers share it (if Redis answers on
  BENCH_REDIS_URL; otherwise only "files" is measured, and the report says so);

and in each:

- requests/s and p50/p95/p99 latency of the overview, a priority, a commitment, a partner, the
  search, the yearly report, the year's action plan and a partner's briefing pack (its page,
  and its PDF, built once and then served from its file), as an anonymous visitor (whole-page
  cache) and as staff (signed in, uncached); of "my work" and this year's reporting round as
  staff, and of the round's dashboard as an editor; and of a 50 KB static file through
  WhiteNoise, the limit;
- the latency of logging an activity through the htmx endpoint (200 posts, one at a time);
- the yearly report's PDF (Årsrapport): the seconds its first build takes (one request, the
  PDF cache empty), then requests/s of the built file as every later request gets it; and
  once, before the activities are made, its build at its largest: a year with as many public
  activities as its appendix lists in full (reporting.annual.APPENDIX_LIMIT);
- the peak memory (VmHWM) of a gunicorn worker;

and once, at the largest size ("reminders" in BENCH_SETUPS): `manage.py send_reminders` for
BENCH_REMINDER_PEOPLE (1,000) people, each due an e-mail, against a local SMTP server
(aiosmtpd), and a second run, which sends nothing.

It prints a table with each page's throughput relative to the static file and writes it to
BENCHMARKS.md with the machine it ran on. Only 127.0.0.1 is loaded, for a bounded time.
Absolute numbers drift with whatever else the machine does; the ratios measured in one run are
the result. Takes about fifteen minutes.

Needs PostgreSQL on 127.0.0.1:5432 (user postgres, trust; started if it is installed but
down), wrk (Debian: apt-get install wrk) and Redis for the second set-up.

Environment: BENCH_PORT (8010), BENCH_DURATION (5 s per page), BENCH_CONNECTIONS (16),
BENCH_STAFF_CONNECTIONS (2), BENCH_SIZES (10000,50000), BENCH_SETUPS (files,redis,reminders),
BENCH_REMINDER_PEOPLE (1000),
BENCH_DB (strategiportalen_bench), BENCH_REDIS_URL (redis://127.0.0.1:6379/0; only keys
under a prefix of the run's own are written and removed), BENCH_KEEP_DB=1 to keep the
database afterwards.
"""

import datetime
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
HOST = "127.0.0.1"
PORT = int(os.environ.get("BENCH_PORT", "8010"))
# How long the first request for the Årsrapport's PDF may wait for the task worker's build.
PDF_WAIT_S = 120
DURATION = int(os.environ.get("BENCH_DURATION", "5"))
# Many anonymous visitors at once; staff are few: as many connections as workers, so a staff
# page's latency is its own, not a queue behind fifteen others.
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
STAFF_CONNECTIONS = int(os.environ.get("BENCH_STAFF_CONNECTIONS", "2"))
SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "10000,50000").split(",")]
POSTS = 200
SETUPS = os.environ.get("BENCH_SETUPS", "files,redis,reminders").split(",")
REMINDER_PEOPLE = int(os.environ.get("BENCH_REMINDER_PEOPLE", "1000"))
TARGET_REMINDERS_S = 30
DB_NAME = os.environ.get("BENCH_DB", "strategiportalen_bench")
PG = "postgres://postgres@127.0.0.1:5432"
# bench/seed.py writes invented data, and the benchmark runs with DEBUG=0: it is told so
# (priorities.demo.ALLOW_FLAG; this file runs without Django, so the text is repeated).
ALLOW_EXAMPLE_DATA = "--allow-example-data"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
STATIC_FILE = "bench/static-50k.txt"
STATIC_BYTES = 50 * 1024
PAGES = [
    "overview",
    "priority",
    "commitment",
    "partner",
    "search",
    "report",
    "plan",
    "projects",
    "briefing",
    "briefing_pdf",
]
# The reporting round's page shows staff their own entries, and editors the dashboard.
STAFF_ONLY = ["my_work", "round"]
EDITOR_ONLY = ["round"]

TARGET_ANONYMOUS_RATIO = 0.7
TARGET_STAFF_P95_MS = 50
TARGET_POST_P95_MS = 100
TARGET_RSS_MB = 150
TARGET_PDF_BUILD_S = 5

WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration=%d non2xx=%d errors=%d p50=%.2f p95=%.2f p99=%.2f\\n",
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000))
end
"""


@dataclass
class Result:
    size: int
    setup: str
    page: str
    visitor: str
    path: str
    status: int | str = ""
    rps: float | None = None
    p50: float | None = None
    p95: float | None = None
    p99: float | None = None
    errors: int = 0
    connections: int = 0
    note: str = ""


@dataclass
class Run:
    results: list[Result] = field(default_factory=list)
    # Keyed by (size, set-up).
    posts: dict[tuple, dict] = field(default_factory=dict)
    rss_mb: dict[tuple, float] = field(default_factory=dict)
    static_rps: dict[tuple, float] = field(default_factory=dict)
    pdf_build_s: dict[tuple, float] = field(default_factory=dict)
    # The Årsrapport's PDF with its appendix full (bench/seed.py full_appendix).
    full_appendix: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    reminders: dict = field(default_factory=dict)


def log(message: str) -> None:
    print(message, flush=True)


# --- Set up ------------------------------------------------------------------------------


def check_tools() -> None:
    if not shutil.which("wrk"):
        sys.exit("wrk is needed to load the server: apt-get install wrk (Debian/Ubuntu)")
    if not (BIN / "gunicorn").exists():
        sys.exit("Run `make bench` (it installs the virtualenv first).")
    try:
        psycopg.connect(f"{PG}/postgres", connect_timeout=3).close()
    except psycopg.OperationalError:
        cluster = (
            sorted(os.listdir("/etc/postgresql"))[-1] if Path("/etc/postgresql").exists() else ""
        )
        if cluster and shutil.which("pg_ctlcluster"):
            log("Starting PostgreSQL …")
            subprocess.run(
                ["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "start"],
                check=False,
            )
        # Until it accepts connections (it may still be starting), for up to 30 s.
        deadline = time.monotonic() + 30
        while True:
            try:
                psycopg.connect(f"{PG}/postgres", connect_timeout=5).close()
                break
            except psycopg.OperationalError as exc:
                if time.monotonic() > deadline:
                    sys.exit(f"PostgreSQL on 127.0.0.1:5432 is needed (user postgres): {exc}")
                time.sleep(0.5)


def redis_available() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping())
    except Exception:
        return False


def sql(statement: str, dbname: str = "postgres") -> list:
    with psycopg.connect(f"{PG}/{dbname}", autocommit=True) as conn:
        cursor = conn.execute(statement)
        return cursor.fetchall() if cursor.description else []


def manage(env: dict, *args: str) -> str:
    return python(env, "manage.py", *args)


def python(env: dict, *args: str) -> str:
    result = subprocess.run(
        [str(BIN / "python"), *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


# --- HTTP ---------------------------------------------------------------------------------


def request(method: str, path: str, *, headers=None, body: str | None = None):
    conn = http.client.HTTPConnection(HOST, PORT, timeout=60)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.headers, response.read()
    finally:
        conn.close()


def cookies_from(headers) -> dict:
    jar = SimpleCookie()
    for value in headers.get_all("Set-Cookie") or []:
        jar.load(value)
    return {name: morsel.value for name, morsel in jar.items()}


def cookie_header(cookies: dict) -> str:
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def wait_for_server(process) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit("gunicorn exited; see its log above")
        try:
            request("GET", f"/static/{STATIC_FILE}")
            return
        except OSError:
            time.sleep(0.2)
    sys.exit("gunicorn did not come up within 60 s")


def sign_in(login_path: str, password: str, username: str = "bench-staff") -> dict:
    """Sign in through the login form as a browser would; returns the cookies."""
    status, headers, body = request("GET", login_path)
    if status != 200:
        raise RuntimeError(f"login page answered {status}")
    cookies = cookies_from(headers)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    form = urllib.parse.urlencode(
        {
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": token.group(1).decode() if token else "",
        }
    )
    status, headers, _ = request(
        "POST",
        login_path,
        body=form,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie_header(cookies),
            "Referer": f"http://{HOST}:{PORT}{login_path}",
        },
    )
    cookies |= cookies_from(headers)
    if status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"sign-in answered {status} without a session")
    return cookies


def wrk(path: str, script: str, cookie: str, connections: int) -> dict:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{DURATION}s", "--timeout", "10s"]
    command += ["-s", script]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    result = subprocess.run(
        [*command, f"http://{HOST}:{PORT}{path}"], capture_output=True, text=True, timeout=120
    )
    line = next((ln for ln in result.stdout.splitlines() if ln.startswith("BENCH ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed: {result.stdout}{result.stderr}")
    values = {k: float(v) for k, v in re.findall(r"(\w+)=([\d.]+)", line)}
    values["rps"] = values["requests"] / (values["duration"] / 1e6)
    return values


def measure(result: Result, script: str, cookie: str = "") -> Result:
    result.connections = STAFF_CONNECTIONS if cookie else CONNECTIONS
    values = wrk(result.path, script, cookie, result.connections)
    result.rps = values["rps"]
    result.p50, result.p95, result.p99 = values["p50"], values["p95"], values["p99"]
    result.errors = int(values["non2xx"] + values["errors"])
    return result


def log_activities(path: str, cookies: dict) -> dict:
    """POSTs through the htmx endpoint, one at a time, as staff logging activities."""
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": cookie_header(cookies),
        "X-CSRFToken": cookies.get("csrftoken", ""),
        "HX-Request": "true",
        "Referer": f"http://{HOST}:{PORT}{path}",
    }
    today = datetime.date.today().isoformat()
    times, statuses = [], {}
    for i in range(POSTS):
        body = urllib.parse.urlencode(
            {
                "title": f"Benchmark-møte {i}",
                "kind": "meeting",
                "start_date": today,
                "is_public": "on",
            }
        )
        start = time.perf_counter()
        status, _, _ = request("POST", path, headers=headers, body=body)
        times.append((time.perf_counter() - start) * 1000)
        statuses[status] = statuses.get(status, 0) + 1
    q = statistics.quantiles(times, n=100)
    return {"p50": q[49], "p95": q[94], "p99": q[98], "statuses": statuses}


def worker_peak_rss_mb(master_pid: int) -> float:
    """The largest VmHWM (peak resident memory) among the gunicorn master's children."""
    peak = 0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            if ppid != master_pid:
                continue
            status = (proc / "status").read_text()
        except (OSError, ValueError, IndexError):
            continue
        match = re.search(r"VmHWM:\s+(\d+) kB", status)
        if match:
            peak = max(peak, int(match.group(1)))
    return peak / 1024


# --- One size -----------------------------------------------------------------------------


def bench_size(size: int, setup: str, env: dict, urls, password, script, run: Run) -> None:
    log(f"\n== {size:,} activities, cache {setup}: gunicorn with 2 workers on {HOST}:{PORT}")
    logs = Path(env["STATIC_ROOT"]).parent
    with open(logs / f"gunicorn-{size}-{setup}.log", "w") as server_log:
        serve_and_measure(size, setup, env, urls, password, script, run, server_log)


def serve_and_measure(size, setup, env, urls, password, script, run, server_log) -> None:
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "strategy_portal.wsgi",
            "--workers",
            "2",
            "--bind",
            f"{HOST}:{PORT}",
        ],
        cwd=ROOT,
        env=env,
        stdout=server_log,
        stderr=subprocess.STDOUT,
    )
    # The task worker beside it, as the README's "Deploying" runs it: it builds the
    # Årsrapport's PDF (TASKS_BACKEND=database), so no web worker does.
    worker = subprocess.Popen(
        [str(BIN / "python"), "manage.py", "db_worker", "--no-reload"],
        cwd=ROOT,
        env=env,
        stdout=server_log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_server(server)
        static = Result(
            size, setup, "static file (50 KB, WhiteNoise)", "anyone", f"/static/{STATIC_FILE}"
        )
        measure(static, script)
        static.status = 200
        run.results.append(static)
        log(f"  static file: {static.rps:,.0f} req/s")

        for page in PAGES:
            result = Result(size, setup, page, "anonymous", urls[page])
            status, headers, _ = request("GET", result.path)
            result.status = status
            if status == 200:
                # Fill the cache first; the second answer must come from it.
                _, headers, _ = request("GET", result.path)
                if headers.get("X-Cache") != "HIT":
                    result.note = f"not cached (X-Cache: {headers.get('X-Cache', '-')})"
                measure(result, script)
                log(f"  anonymous {page}: {result.rps:,.0f} req/s, p99 {result.p99:.1f} ms")
            else:
                log(f"  anonymous {page}: {status}, not measured")
            run.results.append(result)

        measure_pdf(size, setup, urls, script, run)

        try:
            cookies = sign_in(urls["login"], password)
        except (RuntimeError, OSError) as problem:
            run.notes.append(f"{size:,} ({setup}): staff not measured, sign-in failed: {problem}")
            cookies = None
        if cookies:
            cookie = cookie_header(cookies)
            for page in PAGES + STAFF_ONLY:
                result = Result(size, setup, page.replace("_", " "), "staff", urls[page])
                status, headers, _ = request("GET", result.path, headers={"Cookie": cookie})
                result.status = status
                if status == 200:
                    if "X-Cache" in headers:
                        result.note = "served from the page cache!"
                    measure(result, script, cookie)
                    log(f"  staff {page}: {result.rps:,.0f} req/s, p95 {result.p95:.1f} ms")
                else:
                    log(f"  staff {page}: {status}, not measured")
                run.results.append(result)

            measure_editor(size, setup, urls, password, script, run)

            status, _, _ = request("GET", urls["log_activity"], headers={"Cookie": cookie})
            if status == 200:
                run.posts[size, setup] = log_activities(urls["log_activity"], cookies)
                post = run.posts[size, setup]
                log(f"  htmx post: p95 {post['p95']:.1f} ms {post['statuses']}")
            else:
                run.posts[size, setup] = {"statuses": {status: 1}}
                log(f"  htmx post: the form answered {status}, not measured")

        again = measure(Result(size, setup, "static again", "anyone", static.path), script)
        run.static_rps[size, setup] = (static.rps + again.rps) / 2
        log(f"  static file again: {again.rps:,.0f} req/s")
        run.rss_mb[size, setup] = worker_peak_rss_mb(server.pid)
        log(f"  worker peak RSS: {run.rss_mb[size, setup]:.0f} MB")
    finally:
        for process in (server, worker):
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def measure_pdf(size, setup, urls, script, run: Run) -> None:
    """The Årsrapport's PDF: its first build (the PDF cache is empty, PDF_CACHE_DIR of this
    size and set-up), from the first request, answered 202 while the task worker builds it,
    to the file served, asked again every 0.2 s; then the built file as every later request
    gets it."""
    path = urls["annual_report_pdf"]
    started = time.monotonic()
    status, headers, body = request("GET", path)
    while status == 202 and time.monotonic() - started < PDF_WAIT_S:
        time.sleep(0.2)
        status, headers, body = request("GET", path)
    seconds = time.monotonic() - started
    result = Result(size, setup, "annual report PDF (built)", "anonymous", path, status=status)
    if status != 200 or not body.startswith(b"%PDF"):
        log(f"  annual report PDF: {status}, not measured")
        run.results.append(result)
        return
    run.pdf_build_s[size, setup] = seconds
    log(f"  annual report PDF: first build {seconds:.2f} s ({len(body) / 1024:,.0f} KB)")
    measure(result, script)
    log(f"  annual report PDF, built: {result.rps:,.0f} req/s, p99 {result.p99:.1f} ms")
    run.results.append(result)


def measure_editor(size, setup, urls, password, script, run: Run) -> None:
    """The editors' pages (the round's dashboard), signed in as the benchmark's editor."""
    try:
        cookies = sign_in(urls["login"], password, "bench-editor")
    except (RuntimeError, OSError) as problem:
        run.notes.append(f"{size:,} ({setup}): editor not measured, sign-in failed: {problem}")
        return
    cookie = cookie_header(cookies)
    for page in EDITOR_ONLY:
        result = Result(size, setup, f"{page} (dashboard)", "editor", urls[page])
        status, headers, _ = request("GET", result.path, headers={"Cookie": cookie})
        result.status = status
        if status == 200:
            if "X-Cache" in headers:
                result.note = "served from the page cache!"
            measure(result, script, cookie)
            log(f"  editor {page}: {result.rps:,.0f} req/s, p95 {result.p95:.1f} ms")
        else:
            log(f"  editor {page}: {status}, not measured")
        run.results.append(result)


# --- Report -------------------------------------------------------------------------------


def machine(setups: list[str]) -> list[tuple[str, str]]:
    cpu = next(
        (
            ln.split(":", 1)[1].strip()
            for ln in Path("/proc/cpuinfo").read_text().splitlines()
            if ln.startswith("model name")
        ),
        platform.processor() or "?",
    )
    mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    versions = subprocess.run(
        [
            str(BIN / "python"),
            "-c",
            "import django, gunicorn, sys; "
            "print(sys.version.split()[0], django.get_version(), gunicorn.__version__)",
        ],
        capture_output=True,
        text=True,
    ).stdout.split()
    pg_version = sql("SHOW server_version")[0][0]
    wrk_version = subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.split()[1]
    caches = []
    if "files" in setups:
        caches.append("files: files in CACHE_DIR, shared by the workers (no REDIS_URL)")
    if "redis" in setups:
        import redis

        info = redis.Redis.from_url(REDIS_URL).info("server")
        caches.append(f"redis: Redis {info['redis_version']} (REDIS_URL)")
    cache = "; ".join(caches)
    return [
        ("Date", datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")),
        ("CPU", f"{os.cpu_count()} × {cpu}"),
        ("Memory", f"{mem_kb / 1024 / 1024:.1f} GiB"),
        ("OS", platform.platform()),
        ("Python / Django / gunicorn", " / ".join(versions)),
        ("PostgreSQL", pg_version),
        ("Page cache", cache),
        ("wrk", f"{wrk_version}, -t1 -d{DURATION}s per row, -c as in the table"),
        ("Load average before / after", ""),
    ]


def bench_reminders(env: dict, run: Run) -> None:
    """send_reminders for REMINDER_PEOPLE people against a local SMTP server, timed; then
    again (nothing left to send)."""
    import socket

    from aiosmtpd.controller import Controller

    class Inbox:
        received = 0

        async def handle_DATA(self, server, session, envelope):
            self.received += 1
            return "250 OK"

    log(f"\n== send_reminders for {REMINDER_PEOPLE:,} people, local SMTP server (aiosmtpd)")
    python(env, "bench/seed.py", ALLOW_EXAMPLE_DATA, "reminders", str(REMINDER_PEOPLE))
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname=HOST, port=port)
    controller.start()
    mail_env = env | {"EMAIL_HOST": HOST, "EMAIL_PORT": str(port), "SITE_URL": f"http://{HOST}"}
    try:
        times = []
        for attempt in range(2):
            start = time.monotonic()
            output = manage(mail_env, "send_reminders").strip()
            times.append(time.monotonic() - start)
            log(f"{output} ({times[-1]:.1f} s)")
            if attempt == 0:
                first_received = inbox.received
    finally:
        controller.stop()
    run.reminders = {
        "seconds": times[0],
        "emails": first_received,
        "again_seconds": times[1],
        "again_emails": inbox.received - first_received,
    }


def fmt(value: float | None, pattern: str = "{:,.1f}") -> str:
    return "" if value is None else pattern.format(value)


def table(run: Run) -> list[str]:
    lines = [
        "| activities | cache | page | visitor | -c | status | req/s | × static | p50 ms "
        "| p95 ms | p99 ms | target |",
        "|---:|---|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in run.results:
        static = run.static_rps.get((r.size, r.setup))
        ratio = r.rps / static if r.rps and static else None
        target = ""
        if r.status == 404:
            target = "not built yet (404)"
        elif r.rps is not None and r.visitor == "anonymous":
            ok = ratio >= TARGET_ANONYMOUS_RATIO
            target = "ok" if ok else f"missed: {ratio:.2f} < {TARGET_ANONYMOUS_RATIO} × static"
        elif r.rps is not None and r.visitor in ("staff", "editor") and r.size == max(SIZES):
            ok = r.p95 < TARGET_STAFF_P95_MS
            target = "ok" if ok else f"missed: p95 {r.p95:.0f} ms ≥ {TARGET_STAFF_P95_MS} ms"
        if r.errors:
            target += f" ({r.errors} errors)"
        if r.note:
            target += f" {r.note}"
        lines.append(
            f"| {r.size:,} | {r.setup} | {r.page} | {r.visitor} | {r.connections or ''} | "
            f"{r.status} | "
            f"{fmt(r.rps, '{:,.0f}')} | "
            f"{fmt(ratio, '{:.2f}')} | {fmt(r.p50)} | {fmt(r.p95)} | {fmt(r.p99)} | "
            f"{target.strip()} |"
        )
    return lines


def summary(run: Run) -> list[str]:
    lines = []
    for size, setup in run.rss_mb | run.posts:
        post = run.posts.get((size, setup), {})
        if "p95" in post:
            ok = post["p95"] < TARGET_POST_P95_MS
            verdict = "ok" if ok else f"missed by {post['p95'] - TARGET_POST_P95_MS:.0f} ms"
            lines.append(
                f"- {size:,} activities, {setup}, logging an activity (htmx POST, {POSTS} one at a "
                "time): "
                f"p50 {post['p50']:.1f} ms, p95 {post['p95']:.1f} ms, p99 {post['p99']:.1f} ms, "
                f"statuses {post['statuses']} — target p95 < {TARGET_POST_P95_MS} ms: {verdict}"
            )
        elif post:
            lines.append(
                f"- {size:,} activities, {setup}, logging an activity: not measured "
                f"{post['statuses']}"
            )
        if (size, setup) in run.rss_mb:
            rss = run.rss_mb[size, setup]
            verdict = "ok" if rss < TARGET_RSS_MB else f"missed by {rss - TARGET_RSS_MB:.0f} MB"
            lines.append(
                f"- {size:,} activities, {setup}, peak RSS of a gunicorn worker (VmHWM): "
                f"{rss:.0f} MB — "
                f"target < {TARGET_RSS_MB} MB: {verdict}"
            )
    for (size, setup), seconds in run.pdf_build_s.items():
        ok = seconds < TARGET_PDF_BUILD_S
        verdict = "ok" if ok else f"missed by {seconds - TARGET_PDF_BUILD_S:.1f} s"
        lines.append(
            f"- {size:,} activities, {setup}, the annual report's PDF, from the first request "
            f"to the file built by the task worker: {seconds:.2f} s — "
            f"target < {TARGET_PDF_BUILD_S} s: {verdict}"
        )
    if run.full_appendix:
        f = run.full_appendix
        ok = f["seconds"] < TARGET_PDF_BUILD_S
        verdict = "ok" if ok else f"missed by {f['seconds'] - TARGET_PDF_BUILD_S:.1f} s"
        lines.append(
            f"- the annual report's PDF at its largest, its appendix listing {f['rows']:,} "
            f"activities in full ({f['pages']} pages), built once in-process as the task builds "
            f"it: {f['seconds']:.2f} s — target < {TARGET_PDF_BUILD_S} s: {verdict}"
        )
    if run.reminders:
        r = run.reminders
        verdict = "ok" if r["seconds"] < TARGET_REMINDERS_S else "missed"
        lines.append(
            f"- send_reminders for {REMINDER_PEOPLE:,} people, each due an e-mail (a reporting "
            f"deadline, an overdue measure, the digest), to a local SMTP server: "
            f"{r['seconds']:.1f} s, {r['emails']:,} e-mails — target < {TARGET_REMINDERS_S} s: "
            f"{verdict}; run again: {r['again_seconds']:.1f} s, {r['again_emails']} e-mails"
        )
    return lines + [f"- {note}" for note in run.notes]


def write_report(run: Run, facts: list[tuple[str, str]]) -> str:
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (bench/run.py); the latest run replaces this file. The portal",
        'runs as the README\'s "Deploying" shows it (gunicorn, 2 workers, and `db_worker`',
        "building the annual report's PDF), in two cache set-ups: `files` (one server, no",
        "`REDIS_URL`: the shared cache is files in `CACHE_DIR`)",
        "and `redis` (`REDIS_URL`, as several app servers share it). Pages as an anonymous",
        "visitor come from the whole-page cache; staff pages are rendered for every request",
        "(the yearly report's body is cached per content version). `× static` is a page's",
        "throughput relative to the 50 KB static file served by WhiteNoise in the same set-up",
        "(the mean of a run before and after the pages), the limit.",
        f"Anonymous pages and the static file are loaded with {CONNECTIONS} connections; staff",
        f"pages with {STAFF_CONNECTIONS}, one per worker, as staff are few: their latency is the",
        "page's own, not a queue behind other requests.",
        "Absolute numbers drift with whatever else the machine does; compare the ratios.",
        "",
        f"Targets: anonymous pages ≥ {TARGET_ANONYMOUS_RATIO} × static; staff pages p95 < "
        f"{TARGET_STAFF_P95_MS} ms at the largest size;",
        "logging an activity p95 < 100 ms; a worker's peak RSS < 150 MB; send_reminders for",
        f"{REMINDER_PEOPLE:,} people < {TARGET_REMINDERS_S} s.",
        "",
        "## Machine",
        "",
        *[f"- {name}: {value}" for name, value in facts],
        "",
        "## Pages",
        "",
        *table(run),
        "",
        "## Writes and memory",
        "",
        *summary(run),
        "",
    ]
    notes = ROOT / "bench" / "notes.md"
    if notes.exists():
        lines += ["## Notes", "", notes.read_text().strip(), ""]
    text = "\n".join(lines)
    (ROOT / "BENCHMARKS.md").write_text(text)
    return text


# --- Main ---------------------------------------------------------------------------------


def main() -> int:
    check_tools()
    load_before = os.getloadavg()
    workdir = Path(tempfile.mkdtemp(prefix="strategiportalen-bench-"))
    static_root = workdir / "static"
    run = Run()
    setups = [setup for setup in SETUPS if setup in ("files", "redis")]
    if "redis" in setups and not redis_available():
        setups.remove("redis")
        run.notes.append(f"Redis did not answer on {REDIS_URL}: the redis set-up not measured.")
    prefix = f"bench-{secrets.token_hex(4)}"
    password = secrets.token_urlsafe(16)
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SECURE_HTTPS": "0",
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": f"{PG}/{DB_NAME}",
        "STATIC_ROOT": str(static_root),
        "BENCH_PASSWORD": password,
        "CACHE_DIR": str(workdir / "cache"),
        "TASKS_BACKEND": "database",
    }
    # Production defaults for the rest (request log, persistent connections, page cache on).
    for name in ("REDIS_URL", "CACHE_KEY_PREFIX", "PAGE_CACHE", "CONN_MAX_AGE", "LOG_LEVEL"):
        env.pop(name, None)

    def setup_env(setup: str, size: int) -> dict:
        # A cache of its own per size: pages cached at one size are not served at the next
        # (the seeding bumped only the files set-up's version). Built PDFs likewise, in the
        # run's folder rather than the checkout's.
        pdfs = {"PDF_CACHE_DIR": str(workdir / f"pdf-{setup}-{size}")}
        if setup == "redis":
            return env | pdfs | {"REDIS_URL": REDIS_URL, "CACHE_KEY_PREFIX": f"{prefix}-{size}"}
        return env | pdfs | {"CACHE_DIR": str(workdir / f"cache-{size}")}

    try:
        log(f"Database {DB_NAME}: migrate, load the strategy …")
        sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        sql(f"CREATE DATABASE {DB_NAME}")
        manage(env, "migrate", "--no-input")
        manage(env, "load_strategy")
        manage(env, "collectstatic", "--no-input", "--verbosity", "0")
        (static_root / "bench").mkdir(parents=True, exist_ok=True)
        (static_root / STATIC_FILE).write_bytes(
            (b"Strategiportalen benchmark static file.\n" * 2000)[:STATIC_BYTES]
        )
        urls = json.loads(
            python(env, "bench/seed.py", ALLOW_EXAMPLE_DATA, "setup").strip().splitlines()[-1]
        )
        python(env, "bench/seed.py", ALLOW_EXAMPLE_DATA, "annual_round")
        log("The annual report's PDF with a full appendix …")
        pdf_env = env | {"PDF_CACHE_DIR": str(workdir / "pdf-full-appendix")}
        run.full_appendix = json.loads(
            python(pdf_env, "bench/seed.py", ALLOW_EXAMPLE_DATA, "full_appendix").splitlines()[-1]
        )
        log(f"  built in {run.full_appendix['seconds']:.2f} s, {run.full_appendix['pages']} pages")
        script = workdir / "report.lua"
        script.write_text(WRK_SCRIPT)

        have = 0
        for size in SIZES:
            log(f"Generating {size - have:,} example activities …")
            python(
                env, "bench/seed.py", ALLOW_EXAMPLE_DATA, "activities", str(size - have), str(size)
            )
            have = size
            sql("VACUUM ANALYZE", DB_NAME)
            for setup in setups:
                bench_size(size, setup, setup_env(setup, size), urls, password, str(script), run)
        if "reminders" in SETUPS:
            bench_reminders(env, run)
    finally:
        if os.environ.get("BENCH_KEEP_DB") != "1":
            sql(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        if "redis" in setups:
            import redis

            client = redis.Redis.from_url(REDIS_URL)
            keys = list(client.scan_iter(match=f"{prefix}-*"))
            if keys:
                client.delete(*keys)
        shutil.rmtree(workdir, ignore_errors=True)

    facts = machine(setups)
    load_after = os.getloadavg()
    facts[-1] = (
        "Load average before / after",
        f"{load_before[0]:.2f} / {load_after[0]:.2f} (1 min; before above 0.5: something else"
        " was running; after includes the benchmark's own load)",
    )
    text = write_report(run, facts)
    print("\n" + text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
