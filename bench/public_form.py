"""Public report form under concurrent load: gunicorn (2 workers) driven by wrk.

Why wrk (Debian package `wrk`): it is C and event-driven, so on a 2-core machine it leaves nearly
all CPU to gunicorn, which a Python load generator (locust) would not; its Lua hooks build each
POST with a fresh one-time form token and check each response. One connection per wrk thread
makes every response belong to the thread's last request, so each token's outcome is known.

The proof that nothing is lost or duplicated: every token sent is recomputed here, its stored
digest (``submission_key``) looked up; each token answered with a receipt must have exactly one row,
double submits (every ``dup_every``-th request re-sends the previous token) must add none, and the
public rows added during the run must equal the distinct tokens that were answered.

The form's CSRF cookie and token come from one GET; the one-time form token is made by the client
(the form accepts any token of 16+ characters, as a browser would send the one it was given).
"""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

from django.conf import settings
from django.db import connection

HERE = Path(__file__).resolve().parent
BASE_DIR = HERE.parent
GOAL_RATE = 300.0
RATE_LIMIT_SETTINGS = (
    "FEEDBACK_REPORTS_PER_CLIENT_PER_HOUR",
    "FEEDBACK_REPORTS_GLOBAL_PER_MINUTE",
    "FEEDBACK_RECEIPT_FAILURES_PER_CLIENT_PER_HOUR",
    "FEEDBACK_RECEIPT_FAILURES_GLOBAL_PER_MINUTE",
)
GOAL_P99_MS = 100.0
TEXT = "某单位在工程招标中存在化整为零规避招标的情况，时间为上月，地点在项目现场。请核查。"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(port: int, seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2):
                return True
        except OSError:
            time.sleep(0.3)
    return False


def _get_status(url: str) -> tuple[int | None, float]:
    """Status and seconds of one GET (the form page can be slow: it is measured, not assumed)."""
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310 (localhost)
            response.read()
            return response.status, time.perf_counter() - started
    except urllib.error.HTTPError as error:
        return error.code, time.perf_counter() - started


def _form_tokens(url: str) -> dict:
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(url, timeout=120) as response:
        html = response.read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    kinds = re.findall(r'name="kind" value="([^"]+)"', html)
    cookie = next((c.value for c in jar if c.name == settings.CSRF_COOKIE_NAME), None)
    return {
        "csrf": csrf.group(1) if csrf else None,
        "cookie": cookie,
        "kind": kinds[0] if kinds else None,
        "has_token_field": 'name="token"' in html,
    }


def _public_rows(since) -> int:
    from accountability.feedback.models import Feedback

    return Feedback.objects.filter(channel="public", received_at__gte=since).count()


def _settle(since, *, quiet_s: float = 1.0, limit_s: float = 30.0) -> None:
    """Wait until the requests still in flight when wrk stopped have finished: the public rows stop
    changing for `quiet_s`. Counting earlier would find a row stored between the two counts of
    _account() (the tokens' rows, then all rows) and report it as a duplicate."""
    deadline = time.monotonic() + limit_s
    last = _public_rows(since)
    while time.monotonic() < deadline:
        time.sleep(quiet_s)
        now = _public_rows(since)
        if now == last:
            return
        last = now


def run(
    *,
    database_url: str,
    seconds: int = 30,
    connections: int = 4,
    workers: int = 2,
    dup_every: int = 25,
    stdout=None,
) -> dict:
    def say(message):
        if stdout is not None:
            stdout.write(message)

    result = {
        "tool": "wrk (Debian package), Lua script bench/report_form.lua",
        "server": f"gunicorn, {workers} sync workers, settings integrity.settings.bench (DEBUG off)",
        "connections": connections,
        "rate_limits": {name: getattr(settings, name, None) for name in RATE_LIMIT_SETTINGS},
        "goal": {"submissions_per_s": GOAL_RATE, "p99_ms": GOAL_P99_MS, "lost": 0, "duplicated": 0},
    }
    wrk = shutil.which("wrk")
    if wrk is None:
        result["status"] = "skipped: wrk is not installed (apt-get install wrk)"
        say(f"  public form: {result['status']}")
        return result
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "integrity.settings.bench",
        "BENCH_DATABASE_URL": database_url,
        "DJANGO_LOG_LEVEL": "ERROR",
    }
    gunicorn = [
        sys.executable, "-m", "gunicorn", "integrity.wsgi:application",
        "--workers", str(workers), "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--backlog", "2048",
        "--timeout", "180",
    ]  # fmt: skip
    server = subprocess.Popen(gunicorn, cwd=BASE_DIR, env=env, start_new_session=True)  # noqa: S603
    url = f"http://127.0.0.1:{port}/report/"
    try:
        if not _wait_until_up(port):
            result["status"] = "error: gunicorn did not start"
            return result
        status, get_seconds = _get_status(url)
        result["form_get_ms"] = round(get_seconds * 1000, 1)
        if status == 404:
            result["status"] = "not built (/report/ answers 404)"
            return result
        if status != 200:
            result["status"] = f"error: /report/ answered {status}"
            return result
        form = _form_tokens(url)
        if not (form["csrf"] and form["cookie"] and form["kind"] and form["has_token_field"]):
            result["status"] = f"error: the form changed shape ({form})"
            return result
        prefix = f"bench{int(time.time())}"
        out = Path(tempfile.mkstemp(suffix=".json")[1])
        wrk_env = {
            **os.environ,
            "BENCH_CSRF": form["csrf"],
            "BENCH_COOKIE": form["cookie"],
            "BENCH_PREFIX": prefix,
            "BENCH_KIND": form["kind"],
            "BENCH_TEXT": urllib.parse.quote_plus(TEXT),
            "BENCH_DUP_EVERY": str(dup_every),
            "BENCH_WRK_OUT": str(out),
        }
        from django.utils import timezone

        since = timezone.now()
        connection.close()  # the server writes; read its rows on a fresh connection afterwards
        command = [
            wrk, "-t", str(connections), "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s",
            "--latency", "-s", str(HERE / "report_form.lua"), url,
        ]  # fmt: skip
        say(f"  public form: {seconds} s of submissions over {connections} connections …")
        completed = subprocess.run(command, env=wrk_env, capture_output=True, text=True, timeout=seconds + 120)  # noqa: S603
        if not out.read_text().strip():
            result["status"] = f"error: wrk wrote no results: {completed.stderr[-1000:]}"
            return result
        data = json.loads(out.read_text())
        out.unlink(missing_ok=True)
        result["wrk_stdout"] = completed.stdout[-3000:]
        _settle(since)
        result.update(_account(data, prefix, since))
        result["status"] = "ok"
        result["ceiling"] = _ceiling(wrk, port, connections)
        say(
            f"  public form: {result['submissions_per_s']:.0f} submissions/s, p50 {result['p50_ms']:.1f} ms, "
            f"p99 {result['p99_ms']:.1f} ms, {result['created']} created, {result['duplicate_answers']} double "
            f"submits answered once, lost {result['lost']}, duplicated {result['duplicated']}"
        )
        return result
    finally:
        try:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(server.pid, signal.SIGKILL)


def _ceiling(wrk: str, port: int, connections: int, seconds: int = 10) -> dict:
    """The same server's ceiling on this machine: an anonymous GET of / answered by a redirect to the
    login page (middleware and URL resolving only, no query, no template)."""
    command = [wrk, "-t", str(connections), "-c", str(connections), "-d", f"{seconds}s", "--latency",
               f"http://127.0.0.1:{port}/"]  # fmt: skip
    completed = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)  # noqa: S603
    rate = re.search(r"Requests/sec:\s+([\d.]+)", completed.stdout)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", completed.stdout)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    return {
        "url": "/ (anonymous: redirect to login)",
        "requests_per_s": float(rate.group(1)) if rate else None,
        "p99_ms": round(float(p99.group(1)) * scale[p99.group(2)], 2) if p99 else None,
    }


def _account(data: dict, prefix: str, since) -> dict:
    from accountability.feedback import receipts
    from accountability.feedback.models import Feedback

    tokens = [f"{prefix}-{t['tid']:02d}-{n:07d}" for t in data["threads"] for n in range(1, t["tokens"] + 1)]
    failed_tokens = set()
    for t in data["threads"]:
        for item in filter(None, t["fails"].split(";")):
            failed_tokens.add(item.rsplit("=", 1)[0])
    digests = {receipts.token_digest(token): token for token in tokens}
    found = set()
    keys = list(digests)
    for i in range(0, len(keys), 5000):
        found.update(
            Feedback.objects.filter(submission_key__in=keys[i : i + 5000]).values_list("submission_key", flat=True)
        )
    # The tokens answered with a receipt, as the wrk threads recorded them; the rest were in flight
    # when the time was up (or generated by wrk and never sent): their outcome is unknown either way.
    answered = {
        f"{prefix}-{t['tid']:02d}-{int(n):07d}" for t in data["threads"] for n in filter(None, t["answered"].split(","))
    }
    stored = {digests[k] for k in found}
    lost = len(answered - stored)
    unanswered = set(tokens) - answered - failed_tokens
    rows_added = _public_rows(since)
    created = sum(t["created"] for t in data["threads"])
    duplicate_answers = sum(t["duplicate"] for t in data["threads"])
    seconds = data["duration_us"] / 1e6
    answered_requests = created + duplicate_answers
    p99_ms = data["p99_us"] / 1000
    rate = answered_requests / seconds if seconds else 0.0
    return {
        "requests": data["requests"],
        "seconds": round(seconds, 2),
        "submissions_per_s": round(rate, 1),
        "p50_ms": data["p50_us"] / 1000,
        "p90_ms": data["p90_us"] / 1000,
        "p99_ms": p99_ms,
        "max_ms": data["max_us"] / 1000,
        "socket_errors": data["errors"],
        "distinct_tokens": len(tokens),
        "created": created,
        "duplicate_answers": duplicate_answers,
        "failed": sum(t["failed"] for t in data["threads"]),
        "failures_sample": sorted(failed_tokens)[:10],
        "answered_tokens": len(answered),
        "unanswered_tokens": len(unanswered),
        "unanswered_stored": len(unanswered & stored),
        "rows_found_for_tokens": len(found),
        "public_rows_added": rows_added,
        "lost": lost,
        "duplicated": max(0, rows_added - len(found)),
        "passed": rate >= GOAL_RATE and p99_ms <= GOAL_P99_MS and lost == 0 and rows_added == len(found),
    }
