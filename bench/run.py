"""`make bench`: report engine and pages against their floors, as ratios of one run.

    .venv/bin/python -m bench.run [--jobcenters 90] [--years 10] [--seconds 10]
                                  [--database werkakademie_bench] [--repeat 3]

Needs PostgreSQL at 127.0.0.1:5432 (user postgres, trust). Creates, migrates and seeds the
database if needed, prints a table and writes bench/results.md. See bench/README.md.
"""

import argparse
import json
import os
import platform
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PG = "postgres://postgres@127.0.0.1:5432/"
SECRET_KEY = secrets.token_urlsafe(50)
DEMO_DATABASE = "werkakademie_bench_demo"
ENGINE_TARGET = 3.0
PAGE_TARGET = 0.5


def log(message: str):
    print(message, flush=True)


# --- Database and Django -----------------------------------------------------------------------


def ensure_database(name: str):
    import psycopg

    with psycopg.connect(PG + "postgres", autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                    (name,)).fetchone()
        if not exists:
            log(f"creating database {name}")
            connection.execute(f'CREATE DATABASE "{name}"')


def django_setup(database: str):
    """Environment first (settings read it at import), then Django."""
    os.environ.update(DEBUG="0", SECRET_KEY=SECRET_KEY, SECURE_SSL_REDIRECT="0",
                      ALLOWED_HOSTS="127.0.0.1,testserver", LOG_LEVEL="WARNING",
                      DATABASE_URL=f"{PG}{database}")
    os.environ.pop("REDIS_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "werkakademie.settings")
    import django

    django.setup()


def prepare(jobcenters: int, years: int):
    from django.core.management import call_command

    from jobcenters.models import Jobcenter

    call_command("migrate", "--noinput", verbosity=0)
    # DEBUG=0 uses the manifest storage: templates need staticfiles/ collected.
    call_command("collectstatic", "--noinput", verbosity=0)
    if not Jobcenter.objects.exists():
        log(f"seeding {jobcenters} jobcenters, {years} years (seed_demo) …")
        started = time.monotonic()
        call_command("seed_demo", jobcenters=jobcenters, years=years)
        log(f"seeded in {time.monotonic() - started:.0f} s")
    else:
        log(f"database has {Jobcenter.objects.count()} jobcenters: not seeding")


# --- The pages' subjects ----------------------------------------------------------------------


def subjects() -> dict:
    """The jobcenter with the most enrolments, its team lead, coach1 and a running cohort."""
    from django.db.models import Count
    from django_scopes import scopes_disabled

    from cohorts.models import Cohort
    from jobcenters.models import Jobcenter, User
    from participants.models import Enrolment

    with scopes_disabled():
        largest = (Enrolment.objects.values("jobcenter").annotate(n=Count("pk"))
                   .order_by("-n", "jobcenter").first())
        jobcenter = Jobcenter.objects.get(pk=largest["jobcenter"])
        jobcenter.n = largest["n"]
        team_lead = User.objects.get(email=f"teamleitung@{jobcenter.code}.example")
        coach = User.objects.get(email=f"coach1@{jobcenter.code}.example")
        cohort = (Cohort.objects.filter(jobcenter=jobcenter, status=Cohort.Status.RUNNING,
                                        cohort_coaches__user=coach)
                  .annotate(n=Count("enrolments")).order_by("-n", "pk").first())
    if cohort is None:
        raise SystemExit(f"{jobcenter.code}: no running cohort led by {coach.email}")
    return {"jobcenter": jobcenter, "team_lead": team_lead, "coach": coach, "cohort": cohort,
            "enrolments": jobcenter.n}


def pages(s: dict) -> list[tuple[str, str, str, bool]]:
    """(label, path, who, post) — who: "lead" or "coach"."""
    jc, pk = s["jobcenter"].code, s["cohort"].pk
    return [
        ("ping (floor)", f"/{jc}/ping/", "lead", False),
        ("team-lead dashboard", f"/{jc}/reports/", "lead", False),
        ("cohort page", f"/{jc}/cohorts/{pk}/", "lead", False),
        ("attendance form GET", f"/{jc}/cohorts/{pk}/sessions/new/", "coach", False),
        ("attendance form POST", f"/{jc}/cohorts/{pk}/sessions/new/", "coach", True),
        ("drill-down list", f"/{jc}/reports/list/?metric=entrants&period=all", "lead", False),
        ("\"Heute\" (coach)", f"/{jc}/", "coach", False),
        ("cohort plan", f"/{jc}/cohorts/{pk}/plan/", "coach", False),
    ]


def clients(s: dict) -> dict:
    """Logged-in test clients (real DB sessions, usable by gunicorn: same SECRET_KEY)."""
    from django.test import Client

    result = {}
    for who, user in (("lead", s["team_lead"]), ("coach", s["coach"])):
        client = Client(HTTP_X_FORWARDED_PROTO="https")
        client.force_login(user)
        result[who] = client
    return result


def attendance_post(client, path: str) -> tuple[str, str]:
    """The form as the page fills it (today, everyone present by default); body and the
    csrftoken cookie. Saved once here, so every later POST of the same body is refused as a
    duplicate session: a full validation and re-render round-trip that writes nothing."""
    from bench.load import form_body

    response = client.get(path, secure=True)
    assert response.status_code == 200, response.status_code
    body = form_body(response.content.decode(), "held_on")
    first = client.post(path, body, content_type="application/x-www-form-urlencoded",
                        secure=True, HTTP_REFERER=f"https://testserver{path}")
    log(f"attendance POST once beforehand: {first.status_code} "
        f"({'saved' if first.status_code == 302 else 'already recorded'})")
    return body, client.cookies["csrftoken"].value


def query_counts(s: dict, cl: dict, body: str) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for label, path, who, post in pages(s):
        client = cl[who]
        with CaptureQueriesContext(connection) as ctx:
            if post:
                response = client.post(path, body, secure=True,
                                       content_type="application/x-www-form-urlencoded",
                                       HTTP_REFERER=f"https://testserver{path}")
            else:
                response = client.get(path, secure=True)
        counts[label] = {"queries": len(ctx.captured_queries),
                         "status": response.status_code}
    return counts


# --- Engine against the SQL floor -------------------------------------------------------------


def timed(function, repeat: int) -> float:
    """The best of `repeat` runs, in seconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times)


def engine_bench(s: dict, repeat: int) -> dict:
    from django.utils import timezone
    from django_scopes import scope, scopes_disabled

    from bench.floor import FIELDS, engine_totals, sql_totals
    from jobcenters.models import Jobcenter
    from reports.models import ReportSnapshot
    from reports.services import snapshot_compute, snapshots_compute_all

    as_of = timezone.localdate()
    large = s["jobcenter"]
    all_jobcenters = list(Jobcenter.objects.order_by("pk"))
    payloads = {}

    def refresh(jobcenter):
        with scope(jobcenter=jobcenter):
            payloads[jobcenter.pk] = snapshot_compute(jobcenter=jobcenter, as_of=as_of).counters


    floor = {}

    def sql(ids):
        floor.update(sql_totals(as_of, ids))

    log("engine: refreshing the large jobcenter …")
    engine_large = timed(lambda: refresh(large), repeat)
    sql_large = timed(lambda: sql([large.pk]), repeat)
    log(f"engine: refreshing all {len(all_jobcenters)} jobcenters …")
    # The nightly refresh: one pass over every jobcenter.
    engine_all = timed(lambda: snapshots_compute_all(as_of=as_of), repeat)
    with scopes_disabled():
        payloads.update((s.jobcenter_id, s.counters) for s in ReportSnapshot.objects.all())
    sql_all = timed(lambda: sql(None), repeat)

    mismatches = []
    for jobcenter in all_jobcenters:
        engine = engine_totals(payloads[jobcenter.pk])
        raw = floor.get(jobcenter.pk, dict.fromkeys(FIELDS, 0))
        if engine != raw:
            mismatches.append((jobcenter.code, engine, raw))
    for code, engine, raw in mismatches:
        log(f"!!! MISMATCH {code}: engine {engine} != SQL {raw}")
    return {"as_of": as_of.isoformat(), "jobcenters": len(all_jobcenters),
            "engine_large": engine_large, "sql_large": sql_large,
            "engine_all": engine_all, "sql_all": sql_all, "mismatches": len(mismatches),
            "checked": len(all_jobcenters)}


# --- Pages under gunicorn ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(database: str, port: int, log_path: Path) -> subprocess.Popen:
    env = {**os.environ, "DEBUG": "0", "SECRET_KEY": SECRET_KEY, "ALLOWED_HOSTS": "127.0.0.1",
           "SECURE_SSL_REDIRECT": "0", "LOG_LEVEL": "WARNING",
           "DATABASE_URL": f"{PG}{database}?conn_max_age=60"}
    env.pop("REDIS_URL", None)
    gunicorn = BASE_DIR / ".venv" / "bin" / "gunicorn"
    with open(log_path, "w") as out:
        process = subprocess.Popen(
            [str(gunicorn), "werkakademie.wsgi:application", "--workers", "2",
             "--bind", f"127.0.0.1:{port}"], cwd=BASE_DIR, env=env, stdout=out,
            stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            if process.poll() is not None:
                raise SystemExit(f"gunicorn exited; see {log_path}") from None
            time.sleep(0.3)
    process.terminate()
    raise SystemExit(f"gunicorn did not start; see {log_path}")


def pages_bench(s: dict, cl: dict, body: str, csrf: str, database: str, seconds: int) -> dict:
    from bench.load import ensure_wrk, run_python, run_wrk

    use_wrk = ensure_wrk()
    if not use_wrk:
        log("wrk not available: using the Python client (slower: the floor is lower)")
    port = free_port()
    log_path = Path("/tmp") / f"bench-gunicorn-{port}.log"
    process = start_gunicorn(database, port, log_path)
    base = f"http://127.0.0.1:{port}"
    results = {}
    try:
        for label, path, who, post in pages(s):
            cookie = f"sessionid={cl[who].cookies['sessionid'].value}"
            if post:
                cookie += f"; csrftoken={csrf}"
            headers = {"Cookie": cookie, "X-Forwarded-Proto": "https",
                       "Origin": f"https://127.0.0.1:{port}",
                       "Referer": f"https://127.0.0.1:{port}{path}"}
            # A warm-up, so that both workers have their connection and templates.
            (run_wrk if use_wrk else run_python)(base + path, headers, 1,
                                                 body if post else None)
            log(f"load: {label} ({seconds} s) …")
            results[label] = (run_wrk if use_wrk else run_python)(
                base + path, headers, seconds, body if post else None)
    finally:
        process.terminate()
        process.wait(timeout=30)
    return results


# --- Query counts at demo scale (a child process on a second database) -------------------------


def demo_counts(args) -> dict | None:
    command = [sys.executable, "-m", "bench.run", "--queries-only", "--database",
               args.demo_database, "--jobcenters", "2", "--years", "2"]
    log(f"query counts at demo scale: {' '.join(command[1:])}")
    done = subprocess.run(command, cwd=BASE_DIR, capture_output=True, text=True)
    if done.returncode != 0:
        log(f"demo-scale query counts failed:\n{done.stdout}\n{done.stderr}")
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def queries_only(args):
    """Child mode: seed (if empty) and print the query counts per page as JSON."""
    from django.utils import timezone
    from django_scopes import scope

    from reports.services import snapshot_compute

    s = subjects()
    cl = clients(s)
    body, _csrf = attendance_post(cl["coach"], pages(s)[4][1])
    with scope(jobcenter=s["jobcenter"]):  # fresh snapshot after the POST, as in the main run
        snapshot_compute(jobcenter=s["jobcenter"], as_of=timezone.localdate())
    print(json.dumps({**query_counts(s, cl, body), "_enrolments": s["enrolments"]}))


# --- Output -----------------------------------------------------------------------------------


def machine() -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    return [f"`{' '.join(platform.uname())}`", f"CPUs: {os.cpu_count()}",
            f"Python {platform.python_version()}, PostgreSQL {pg}"]


def report(args, s, engine, loads, counts, demo) -> str:
    ping = loads["ping (floor)"].rps
    lines = []
    lines.append(f"Jobcenters: {engine['jobcenters']}; large jobcenter "
                 f"{s['jobcenter'].code} ({s['enrolments']} enrolments); as of "
                 f"{engine['as_of']}; best of {args.repeat} runs.")
    lines.append("")
    lines.append("| engine vs SQL floor | engine (s) | SQL (s) | ratio | target |")
    lines.append("|---|---|---|---|---|")
    for key, label, target in (("large", f"one jobcenter ({s['jobcenter'].code})", None),
                               ("all", f"all {engine['jobcenters']} jobcenters",
                                ENGINE_TARGET)):
        e, q = engine[f"engine_{key}"], engine[f"sql_{key}"]
        ratio = e / q if q else float("inf")
        verdict = "–" if target is None else (
            f"≤ {target}×: {'met' if ratio <= target else 'MISSED'}")
        lines.append(f"| {label} | {e:.3f} | {q:.3f} | {ratio:.1f}× | {verdict} |")
    check = ("equal" if not engine["mismatches"]
             else f"MISMATCH in {engine['mismatches']} jobcenters")
    lines.append(f"\nTotals (assigned, entrants, six outcome classes) of engine and SQL for "
                 f"{engine['checked']} jobcenters: **{check}**.")
    lines.append("")
    lines.append("| page | req/s | p50 ms | p95 ms | p99 ms | non-2xx/3xx | ratio to ping "
                 "| target | queries | queries at demo scale |")
    lines.append("|---|---|---|---|---|---|---|---|---|---|")
    for label, result in loads.items():
        ratio = result.rps / ping if ping else 0
        verdict = "floor" if label.startswith("ping") else (
            f"≥ {PAGE_TARGET}: {'met' if ratio >= PAGE_TARGET else 'MISSED'}")
        q = counts[label]
        d = demo.get(label, {}).get("queries", "?") if demo else "?"
        same = "" if d == "?" else (" (same)" if d == q["queries"] else " (DIFFERENT)")
        lines.append(f"| {label} | {result.rps:.1f} | {result.p50_ms:.1f} | "
                     f"{result.p95_ms:.1f} | {result.p99_ms:.1f} | {result.bad_status} | "
                     f"{ratio:.2f} | {verdict} | {q['queries']} | {d}{same} |")
    tool = next(iter(loads.values())).tool
    lines.append(f"\nLoad: {tool}, {2} threads, 4 connections, {args.seconds} s per page "
                 "(after a 1 s warm-up), gunicorn 2 sync workers, DEBUG=0, on 127.0.0.1.")
    if demo:
        lines.append(f"Demo scale: seed_demo defaults (2 jobcenters, 2 years) in database "
                     f"`{args.demo_database}`; its large jobcenter has "
                     f"{demo.get('_enrolments')} enrolments.")
    return "\n".join(lines)


NOTES = """
Where the targets are missed, and why:
- Engine: one pass over all jobcenters, 6 statements (attendance and applications counted
  per enrolment first), grouped by cohort and span of the offered periods. About half of
  what is left is PostgreSQL (attendance's 860 000 rows the largest part), half Python
  spreading each cohort's rows over the eight target groups and the stored dimensions.
- Pages: their time goes into rendering 20–100 KB of HTML through Django templates (the
  cohort page's matrix, the plan's rows with their actions, the drill-down's 50 rows) and
  10–16 queries, most of them planning-bound; the dashboard renders its figures once per
  snapshot and period.

Notes:
- The SQL floor computes only the totals (assigned, entrants, outcome classes) per
  jobcenter; the engine computes every counter of METRICS.md (attendance, applications,
  follow-ups, reasons, medians) per span of the offered periods and per site, programme,
  cohort and target group, and stores it. The ratio is what the issue asks for, not a
  like-for-like comparison.
- Attendance form POST: the body is the form as the page fills it (today, everyone
  present), saved once before measuring; every measured POST is then refused as a
  duplicate session (200, form re-rendered with the error): full CSRF, validation and
  render, no write. wrk cannot vary the date per request.
- The session cookies are real database sessions (Client.force_login in the bench
  process, same SECRET_KEY as gunicorn), sent in a Cookie header with
  X-Forwarded-Proto: https (the cookie is Secure with DEBUG=0).
"""


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--jobcenters", type=int, default=90)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=10, help="load per page")
    parser.add_argument("--database", default="werkakademie_bench")
    parser.add_argument("--demo-database", default=DEMO_DATABASE)
    parser.add_argument("--repeat", type=int, default=3, help="engine/SQL runs (best of)")
    parser.add_argument("--queries-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--output", default=str(BASE_DIR / "bench" / "results.md"))
    args = parser.parse_args(argv)

    ensure_database(args.database)
    django_setup(args.database)
    prepare(args.jobcenters, args.years)
    if args.queries_only:
        return queries_only(args)

    command = "python -m bench.run " + " ".join(argv if argv is not None else sys.argv[1:])
    s = subjects()
    log(f"large jobcenter: {s['jobcenter'].code} ({s['enrolments']} enrolments), "
        f"cohort {s['cohort'].code}")
    cl = clients(s)
    body, csrf = attendance_post(cl["coach"], pages(s)[4][1])
    engine = engine_bench(s, args.repeat)  # after the POST: snapshots are fresh again
    counts = query_counts(s, cl, body)
    loads = pages_bench(s, cl, body, csrf, args.database, args.seconds)
    demo = demo_counts(args)
    table = report(args, s, engine, loads, counts, demo)
    print()
    print(table)
    print(NOTES)
    text = ["# Benchmark results", "", "Machine:", "", *[f"- {m}" for m in machine()], "",
            f"Command: `{command.strip()}` (database `{args.database}`), "
            f"{time.strftime('%Y-%m-%d %H:%M')}", "", table, NOTES]
    Path(args.output).write_text("\n".join(text))
    log(f"written: {args.output}")
    failed = engine["mismatches"] or any(r.bad_status for r in loads.values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
