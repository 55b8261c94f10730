"""Page benchmark: server time through the full Django stack, query count, and the page's own SQL time.

Each page is requested in-process through Django's test Client (every middleware, the session, the
template rendering), warm-up first, then ``requests`` times, spread over ROUNDS rounds through all the
pages (so that the machine's changes of speed touch every page alike); one more request captures the
SQL it ran. Those exact statements are then executed again on a plain psycopg2 cursor (no ORM, no
template), ``requests`` times, which gives the time the page's SQL alone needs in PostgreSQL.
``ratio`` = page p50 ÷ SQL p50: how much the page costs beyond its queries.

Pages are data: one line each in PAGES. A URL with ``{placeholders}`` is filled from ``targets()``;
a page whose URL does not resolve is "not built", one whose placeholder has no data is "no data".
"""

import re
import statistics
import time
from dataclasses import asdict, dataclass
from datetime import timedelta

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import Resolver404, resolve
from django.utils import timezone

GOAL_P95_MS = 50.0
GOAL_RATIO = 3.0


@dataclass(frozen=True)
class Page:
    name: str
    user: str  # the demo account that requests it, or "anonymous"
    url: str
    kind: str = "page"  # "page"; "admin" for the Django admin baseline; "floor" for the empty page
    goal_p95_ms: float = GOAL_P95_MS


# The floor: an empty page (base.html, header, session, user) for each account the pages use. A page
# whose own SQL takes less than a third of its user's floor cannot be within 3x of its SQL, whatever
# it does: that ratio is then reported as out of reach, with the floor that proves it.
FLOOR_USERS = ("officer", "cadre", "leader", "liaison")

PAGES = [
    *(Page(f"floor: empty page ({user})", user, "/bench/floor/", kind="floor") for user in FLOOR_USERS),
    Page("register", "officer", "/rules/"),
    Page("register, filtered", "officer", "/rules/?status=in_force&category=procurement"),
    Page("register, search (English)", "officer", "/rules/?q={en_word}"),
    Page("register, search (Chinese)", "officer", "/rules/?q={zh_word}"),
    Page("register, point in time", "officer", "/rules/?in_force_on={past_date}"),
    Page("register (cadre)", "cadre", "/rules/"),
    Page("rule detail", "officer", "/rules/{rule_code}/"),
    Page("rule detail (cadre)", "cadre", "/rules/{rule_code}/"),
    Page("compare v1 ↔ v2", "officer", "/rules/{rule_code}/compare/?a=1&b=2"),
    Page("history", "officer", "/rules/{rule_code}/history/"),
    Page("notice board", "cadre", "/rules/board/"),
    Page("unit page", "officer", "/units/{unit_pk}/"),
    Page("inbox (officer)", "officer", "/inbox/"),
    Page("inbox (cadre)", "cadre", "/inbox/"),
    Page("home (officer)", "officer", "/"),
    Page("my rules (cadre)", "cadre", "/my/rules/"),
    Page("my unit (leader)", "leader", "/my/unit/"),
    Page("my tasks (liaison)", "liaison", "/my/tasks/"),
    Page("rule implementation", "officer", "/rules/{rule_code}/implementation/"),
    Page("campaign completion", "officer", "/acknowledgements/{ack_campaign_pk}/"),
    Page("triage queue", "officer", "/feedback/"),
    Page("triage queue, overdue", "officer", "/feedback/?overdue=on&sort=due"),  # where the overdue figures lead
    Page("feedback item", "officer", "/feedback/{feedback_pk}/"),
    Page("review", "officer", "/reviews/{review_pk}/"),
    Page("reviews list", "officer", "/reviews/"),
    Page("cleanup campaign", "officer", "/campaigns/{review_campaign_pk}/"),
    Page("cleanup campaign report", "officer", "/campaigns/{review_campaign_pk}/report/"),
    Page("units list", "officer", "/units/"),
    Page("consultations", "officer", "/rules/consultations/"),
    Page("rule acknowledgements", "officer", "/rules/{rule_code}/acknowledgements/"),
    Page("acknowledgement campaigns", "officer", "/acknowledgements/"),
    Page("rules I supervise", "officer", "/my/supervised/"),
    Page("task detail", "officer", "/tasks/{task_pk}/"),
    Page("my page (leader)", "leader", "/my/"),
    Page("my feedback (cadre)", "cadre", "/feedback/mine/"),
    # Forms, as they open at this size (every choice they offer is part of the page).
    Page("form: draft a rule", "officer", "/rules/new/"),
    Page("form: assign units", "officer", "/rules/{rule_code}/implementation/assign/"),
    Page("form: new task", "officer", "/rules/{assigned_rule_code}/implementation/tasks/new/"),
    Page("form: acknowledgement campaign", "officer", "/acknowledgements/new/"),
    Page("form: cleanup campaign", "officer", "/campaigns/new/"),
    Page("form: feedback (cadre)", "cadre", "/feedback/new/"),
    Page("form: public report", "anonymous", "/report/"),
    # The baseline a user would otherwise have: Django admin changelists of the same models.
    Page("admin: rules", "admin", "/admin/rules/rule/", kind="admin"),
    Page("admin: rule versions", "admin", "/admin/rules/ruleversion/", kind="admin"),
    Page("admin: people", "admin", "/admin/integrity/user/", kind="admin"),
    Page("admin: people, search", "admin", "/admin/integrity/user/?q={zh_surname}", kind="admin"),
    Page("admin: units", "admin", "/admin/integrity/unit/", kind="admin"),
    Page("admin: notifications", "admin", "/admin/integrity/notification/", kind="admin"),
    Page("admin: acknowledgements", "admin", "/admin/accountability/acknowledgement/", kind="admin"),
    Page("admin: tasks", "admin", "/admin/accountability/task/", kind="admin"),
    Page("admin: feedback", "admin", "/admin/feedback/feedback/", kind="admin"),
    Page("admin: reviews", "admin", "/admin/reviews/review/", kind="admin"),
]


def _first_pk(label, **filters):
    from django.apps import apps

    try:
        model = apps.get_model(label)
    except LookupError:
        return None
    if model._meta.db_table not in connection.introspection.table_names():
        return None
    return model.objects.filter(**filters).order_by("pk").values_list("pk", flat=True).first()


def targets() -> dict:
    """Values for the URL placeholders, chosen from the data: the heaviest realistic objects."""
    from django.db.models import Count

    from integrity.models import Unit
    from rules.models import Rule

    # The same shape at every size (several versions, an audience of units, open to all cadres, not an
    # implementation rule of another), so that query counts compare like with like between sizes.
    generated = Rule.objects.filter(
        status="in_force", code__startswith="PR-", audience_leading_only=False, parent__isnull=True
    )
    rule = (
        generated.annotate(n=Count("versions", distinct=True), a=Count("audience_units", distinct=True))
        .filter(n__gte=4, a__gte=1)
        .order_by("-n", "pk")
        .values_list("code", flat=True)
        .first()
    ) or Rule.objects.filter(status="in_force").order_by("pk").values_list("code", flat=True).first()
    unit = Unit.objects.annotate(n=Count("members")).order_by("-n", "pk").values_list("pk", flat=True).first()
    return {
        "rule_code": rule,
        "unit_pk": unit,
        "en_word": "procurement",
        "zh_word": "采购",
        "zh_surname": "王",
        "past_date": (timezone.localdate() - timedelta(days=3 * 365)).isoformat(),
        "ack_campaign_pk": _first_pk("accountability.Campaign"),
        "feedback_pk": _first_pk("feedback.Feedback", status="answered"),
        "review_pk": _first_pk("reviews.Review", status="decided"),
        "review_campaign_pk": _first_pk("reviews.Campaign"),
        "task_pk": _first_pk("accountability.Task", state="in_progress"),
        "assigned_rule_code": (
            generated.filter(assignment__status="active", code=rule).values_list("code", flat=True).first()
            or Rule.objects.filter(status="in_force", assignment__status="active")
            .order_by("pk")
            .values_list("code", flat=True)
            .first()
        ),
    }


def _percentile(values, q):
    ordered = sorted(values)
    if not ordered:
        return None
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


_DECLARE = re.compile(r"^\s*DECLARE\s+\S+\s+.*?CURSOR\s+(?:WITH(?:OUT)?\s+HOLD\s+)?FOR\s+", re.I | re.S)


def _as_select(sql: str) -> str | None:
    """The statement as a plain SELECT (a server-side cursor's DECLARE … FOR <select> too), else None."""
    sql = _DECLARE.sub("", sql, count=1)
    head = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
    return sql if head in ("SELECT", "WITH") else None


def own_sql_time(statements: list[str], repeats: int) -> tuple[list[float], list[tuple[float, str]]]:
    """Run the page's SELECTs again on a bare psycopg2 cursor (rows fetched): per-run totals in ms,
    and each statement's median time."""
    connection.ensure_connection()
    raw = connection.connection  # the psycopg2 connection itself: no ORM, no Django cursor wrapper
    selects = [s for s in map(_as_select, statements) if s]
    per_statement = [[] for _ in selects]
    totals = []
    with raw.cursor() as cur:
        for _ in range(repeats):
            total = 0.0
            for i, sql in enumerate(selects):
                t0 = time.perf_counter()
                cur.execute(sql)
                cur.fetchall()
                spent = (time.perf_counter() - t0) * 1000
                per_statement[i].append(spent)
                total += spent
            totals.append(total)
    medians = [(statistics.median(times), sql) for times, sql in zip(per_statement, selects, strict=True) if times]
    return totals, medians


def explain(sql: str) -> str:
    with connection.connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cur.fetchall())


@dataclass
class PageResult:
    name: str
    user: str
    url: str
    kind: str
    status: str  # ok | not built | no data | error NNN
    n: int = 0
    p50_ms: float | None = None
    p95_ms: float | None = None
    max_ms: float | None = None
    queries: int | None = None
    sql_ms: float | None = None
    ratio: float | None = None
    goal_p95_ms: float = GOAL_P95_MS
    goal_ratio: float = GOAL_RATIO
    passed: bool | None = None
    floor_ms: float | None = None  # p50 of the empty page for the same user
    render_ms: float | None = None  # the page's template rendered again from data already in memory
    # the floor's request cycle (without its SQL and rendering) + sql_ms + render_ms: no version of the page
    # running these statements is faster
    least_ms: float | None = None
    ratio_floor_bound: bool | None = None  # 3 x SQL < least_ms: the ratio goal cannot be met by this page
    # least_ms + the ORM's cost of the cheapest statement for each statement beyond the floor's: no
    # Django page running this many statements is faster
    least_at_queries_ms: float | None = None
    ratio_query_bound: bool | None = None  # 3 x SQL < least_at_queries_ms (and not already floor-bound)
    # The same statements timed inside the page's own requests (each execute, rows received), and p50 ÷ it:
    # between statements PostgreSQL's backend waits while Python works, and a statement that follows such a
    # wait runs slower than in the back-to-back loop of sql_ms (see bench/NOTES.md). Reported, not judged.
    sql_in_request_ms: float | None = None
    ratio_in_request: float | None = None
    verdict: str = ""
    slowest: list | None = None
    plan: str | None = None


def _client_for(username: str, clients: dict):
    from integrity.models import User

    if username == "anonymous":  # the public pages, without logging in
        return clients.setdefault(username, Client())
    if username not in clients:
        user = User.objects.filter(username=username).first()
        if user is None:
            return None
        client = Client()
        client.force_login(user)
        clients[username] = client
    return clients[username]


ROUNDS = 5  # timed requests are spread over this many rounds through every page


def prepare(page: Page, values: dict, clients: dict):
    """The page's result (status "ok" when it can be timed), its client and URL, after two warm-up requests
    (templates compiled, caches and the session loaded)."""
    result = PageResult(page.name, page.user, page.url, page.kind, "ok", goal_p95_ms=page.goal_p95_ms)
    try:
        url = page.url.format(**values)
    except KeyError:
        result.status = "no data"
        return result, None, None
    if "None" in url:
        result.status = "no data"
        return result, None, None
    result.url = url
    try:
        resolve(url.split("?")[0])
    except Resolver404:
        result.status = "not built"
        return result, None, None
    client = _client_for(page.user, clients)
    if client is None:
        result.status = "no data"
        return result, None, None
    for _ in range(2):
        response = client.get(url)
    if response.status_code == 404 and page.kind == "admin":
        result.status = "not built"  # the model is not registered in Django admin
    elif response.status_code != 200:
        result.status = f"error {response.status_code}"
    return result, client, url


def time_in_rounds(prepared: list, *, requests: int, budget_s: float, rounds: int = ROUNDS) -> dict:
    """{page name: [ms, ...]}: each page's timed requests, spread over `rounds` rounds through all pages,
    so that the machine's changes of speed (this VM's move from minute to minute) touch every page alike
    instead of falling on whichever pages were being timed. A page stops once it has used its budget
    (after at least 5 requests)."""
    times = {result.name: [] for result, _, _ in prepared}
    spent = dict.fromkeys(times, 0.0)
    per_round = [requests // rounds + (1 if i < requests % rounds else 0) for i in range(rounds)]
    for count in per_round:
        for result, client, url in prepared:
            taken = times[result.name]
            for _ in range(count):
                if len(taken) >= 5 and spent[result.name] > budget_s:
                    break
                t0 = time.perf_counter()
                client.get(url)
                elapsed = time.perf_counter() - t0
                spent[result.name] += elapsed
                taken.append(elapsed * 1000)
    return times


def complete(result: PageResult, client, url: str, times: list, *, explain_ms: float) -> PageResult:
    """The page's figures from its timed requests, then its statements (captured from one more request),
    their time on a bare cursor, its rendering from memory and the plan of its slowest statement. The
    request before the captured one refills what the page caches for a minute or five (the rounds take
    longer than that): the statements captured are those of the page in use, not of a refill."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    statements = [q["sql"] for q in captured.captured_queries]
    totals, medians = own_sql_time(statements, repeats=max(3, min(len(times), 20)))
    result.n = len(times)
    result.p50_ms = round(_percentile(times, 0.5), 2)
    result.p95_ms = round(_percentile(times, 0.95), 2)
    result.max_ms = round(max(times), 2)
    result.queries = len(statements)
    result.sql_ms = round(statistics.median(totals), 2) if totals else 0.0
    result.ratio = round(result.p50_ms / result.sql_ms, 1) if result.sql_ms else None
    result.render_ms = render_from_memory(client, url, repeats=max(3, min(len(times), 20)))
    result.sql_in_request_ms = sql_in_request(client, url, repeats=max(3, min(len(times), 20)))
    if result.sql_in_request_ms:
        result.ratio_in_request = round(result.p50_ms / result.sql_in_request_ms, 1)
    medians.sort(reverse=True)
    result.slowest = [{"ms": round(ms, 2), "sql": sql[:600]} for ms, sql in medians[:3]]
    if medians and medians[0][0] >= explain_ms:
        try:
            result.plan = explain(medians[0][1])[:4000]
        except Exception as error:  # an EXPLAIN failing must not stop the benchmark
            result.plan = f"EXPLAIN failed: {error}"
    return result


def sql_in_request(client, url, *, repeats: int) -> float:
    """Median over `repeats` requests of the time spent in the database inside each request: every
    statement's execute (sent, run, rows received), timed through Django's execute_wrapper hook."""
    totals = []

    def timed(execute, sql, params, many, context):
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent[0] += time.perf_counter() - t0

    for _ in range(repeats):
        spent = [0.0]
        with connection.execute_wrapper(timed):
            client.get(url)
        totals.append(spent[0] * 1000)
    return round(statistics.median(totals), 2)


def render_from_memory(client, url, *, repeats: int) -> float | None:
    """Median ms to render the page's template again with the context of a real request, its querysets
    already evaluated: what showing that content costs in the template engine alone. (The header's
    context processors run again, as on every page; their queries are part of the floor.)"""
    from django.template.backends.django import Template as EngineTemplate

    captured = {}
    original = EngineTemplate.render

    def capture(self, context=None, request=None):
        if not captured:
            captured.update(template=self, context=context, request=request)
        return original(self, context, request)

    EngineTemplate.render = capture
    try:
        client.get(url)
    finally:
        EngineTemplate.render = original
    if not captured:
        return None  # not a template page (a redirect, a file)
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        captured["template"].render(captured["context"], captured["request"])
        times.append((time.perf_counter() - t0) * 1000)
    return round(statistics.median(times), 2)


def orm_cost_per_query(repeats: int = 300, *, baked: bool = True) -> float:
    """What the ORM adds to the cheapest statement, in ms: one unit by primary key through a baked query
    (integrity.baked: compiled once, then the ORM's iterator, Django's cursor wrapper and one model
    instance), or with `baked=False` through a queryset built and compiled for the call, minus the same
    statement on a bare psycopg2 cursor. Timed alternately, so that the machine's drift touches both
    alike; the median difference. The pages bake their statements where they can, so the bound on a
    page's statements uses the baked figure: no statement through the ORM costs less."""
    from integrity.baked import BakedQuery
    from integrity.models import Unit

    pk = Unit.objects.order_by("pk").values_list("pk", flat=True).first()
    if pk is None:
        return 0.0
    sql, params = Unit.objects.filter(pk=pk).query.sql_with_params()
    by_pk = BakedQuery(lambda *, pk: Unit.objects.filter(pk=pk))
    read = (lambda: by_pk.list(pk=pk)) if baked else (lambda: list(Unit.objects.filter(pk=pk)))
    read()
    connection.ensure_connection()
    raw = connection.connection
    differences = []
    with raw.cursor() as cur:
        for _ in range(repeats):
            t0 = time.perf_counter()
            read()
            t1 = time.perf_counter()
            cur.execute(sql, params)
            cur.fetchall()
            t2 = time.perf_counter()
            differences.append(((t1 - t0) - (t2 - t1)) * 1000)
    return round(max(statistics.median(differences), 0.0), 3)


def judge(result: PageResult, floors: dict, orm_ms: float = 0.0) -> None:
    """The verdict: product pages against the goals; the admin and the floor are baselines, not judged."""
    if result.status != "ok":
        return
    if result.kind != "page":
        result.verdict = "baseline"
        return
    fast = result.p95_ms <= result.goal_p95_ms
    within_ratio = result.ratio is None or result.ratio <= GOAL_RATIO
    # The least this page can cost: an empty page's request cycle (the floor without its own SQL and
    # rendering), plus this page's own SQL (every statement it runs, back to back on a bare cursor) and its
    # content rendered from memory. Both renders include the header's unread count, which cancels out.
    # Where that already exceeds 3x the page's SQL, no change to its code can meet the ratio with these
    # statements: out of reach, and the figures prove it.
    floor, floor_render, floor_queries, floor_sql = floors.get(result.user, (None, None, None, None))
    result.floor_ms = floor
    bound = None
    if floor is not None:
        content = result.render_ms if result.render_ms is not None else (floor_render or 0.0)
        bound = floor - (floor_render or 0.0) - (floor_sql or 0.0) + content + (result.sql_ms or 0.0)
    result.least_ms = round(bound, 2) if bound is not None else None
    result.ratio_floor_bound = not within_ratio and bound is not None and GOAL_RATIO * result.sql_ms < bound
    # The same bound with this page's statements, each at the ORM's cheapest (measured in this run):
    # where 3 x SQL is below it, only fewer statements could meet the ratio.
    if bound is not None:
        extra = max((result.queries or 0) - (floor_queries or 0), 0)
        result.least_at_queries_ms = round(bound + extra * orm_ms, 2)
    result.ratio_query_bound = (
        not within_ratio
        and not result.ratio_floor_bound
        and result.least_at_queries_ms is not None
        and GOAL_RATIO * result.sql_ms < result.least_at_queries_ms
    )
    result.passed = fast and within_ratio
    if result.passed:
        result.verdict = "pass"
    elif fast and result.ratio_floor_bound:
        result.verdict = "p95 pass; ratio out of reach (floor)"
    elif fast and result.ratio_query_bound:
        result.verdict = f"p95 pass; ratio out of reach at {result.queries} statements"
    elif fast:
        result.verdict = "p95 pass; ratio FAIL"
    else:
        result.verdict = "FAIL"


def warm_up(pages, values, clients) -> None:
    """One request to every page before any is timed: the figures are of a server in use (tables in
    PostgreSQL's buffers, templates compiled, caches filled), not of the first minute after a load."""
    for page in pages:
        client = _client_for(page.user, clients)
        try:
            url = page.url.format(**values)
        except KeyError:
            continue
        if client is not None and "None" not in url:
            try:
                client.get(url)
            except Exception:  # prepare() reports the page's own error
                continue


def run(
    *, requests: int = 50, budget_s: float = 15.0, explain_ms: float = 5.0, pages=None, stdout=None, facts=None
) -> list[dict]:
    """Measure every page; a list of dicts (PageResult) in PAGES order. The floor pages are always
    measured (whatever `pages` holds) and judged first, since each page's verdict uses its user's floor."""
    values = targets()
    clients: dict = {}
    results = []
    floors: dict = {}
    chosen = list(pages or PAGES)
    chosen = [p for p in PAGES if p.kind == "floor" and p not in chosen] + chosen
    chosen.sort(key=lambda p: p.kind != "floor")
    warm_up(chosen, values, clients)
    orm_ms = orm_cost_per_query()
    if facts is not None:
        facts["orm_ms_per_query"] = orm_ms
        facts["orm_ms_per_query_unbaked"] = orm_cost_per_query(baked=False)
        facts["rounds"] = ROUNDS
    if stdout is not None:
        stdout.write(f"  ORM cost of the cheapest statement: {orm_ms} ms baked")
    prepared = [prepare(page, values, clients) for page in chosen]
    timed = [entry for entry in prepared if entry[0].status == "ok"]
    if stdout is not None:
        stdout.write(f"  timing {len(timed)} pages, {requests} requests each in {ROUNDS} rounds …")
    times = time_in_rounds(timed, requests=requests, budget_s=budget_s)
    for result, client, url in prepared:
        if result.status == "ok":
            complete(result, client, url, times[result.name], explain_ms=explain_ms)
        if result.kind == "floor" and result.status == "ok":
            floors[result.user] = (result.p50_ms, result.render_ms, result.queries, result.sql_ms)
        judge(result, floors, orm_ms)
        results.append(asdict(result))
        if stdout is not None:
            if result.status == "ok":
                stdout.write(
                    f"  {result.name:32} p50 {result.p50_ms:8.1f} ms  p95 {result.p95_ms:8.1f}  "
                    f"q {result.queries:3}  sql {result.sql_ms:7.1f} ms  ×{result.ratio}  "
                    f"(in request {result.sql_in_request_ms} ms ×{result.ratio_in_request})  {result.verdict}"
                )
            else:
                stdout.write(f"  {result.name:32} {result.status}")
    return results
