"""The benchmark still runs: generator, pages and sweep at a tiny size on the test database.

Not a timed test: it asserts that every built page produced figures and a query count, that the
generator loaded each family that exists, and that a second reminder sweep sends nothing.
"""

import io
import json

import pytest

from bench import pages, sweep
from bench.generate import generate
from bench.report import render

pytestmark = pytest.mark.django_db


class Lines(io.StringIO):
    def write(self, message):
        return super().write(message + "\n")


@pytest.fixture
def tiny_data():
    from integrity.demo import seed_organisation
    from rules.demo import seed_rules

    seed_organisation()
    seed_rules()
    return generate("tiny", stdout=Lines())


def test_generator_pages_and_sweep_produce_figures(tiny_data, settings):
    settings.ROOT_URLCONF = "bench.urls"  # what the bench settings use: the product's URLs and the floor page
    report = tiny_data.as_dict()
    assert report["families"]["organisation"]["status"] == "ok"
    assert report["families"]["rules"]["status"] == "ok"
    assert not [name for name, fam in report["families"].items() if fam["status"] == "failed"], report["families"]
    assert report["rows"] > 1000 and report["rows_per_second"] > 0

    from integrity.models import Unit
    from rules.models import Rule

    assert not Unit.objects.filter(path="").exists()
    bench_rule = Rule.objects.filter(code__startswith="PR-", status="in_force").first()
    assert bench_rule.current_version.status == "in_force"
    assert bench_rule.search_text.startswith(bench_rule.code)

    facts = {}
    results = pages.run(requests=2, budget_s=2, facts=facts)
    by_name = {r["name"]: r for r in results}
    core = ["register", "register, search (Chinese)", "register, point in time", "rule detail", "compare v1 ↔ v2"]
    core += ["history", "notice board", "unit page", "inbox (officer)", "admin: people", "form: new task"]
    core += ["form: public report"]
    for name in core:
        assert by_name[name]["status"] == "ok", by_name[name]
    assert not [r for r in results if r["status"].startswith("error")], [r for r in results if r["status"] != "ok"]
    floor = by_name["floor: empty page (officer)"]
    assert floor["status"] == "ok" and floor["verdict"] == "baseline"
    assert by_name["admin: people"]["verdict"] == "baseline"
    register = by_name["register"]
    assert register["floor_ms"] == floor["p50_ms"] and register["render_ms"] > 0
    cycle = floor["p50_ms"] - floor["render_ms"] - floor["sql_ms"]  # the empty page without its SQL and rendering
    assert register["least_ms"] == round(cycle + register["render_ms"] + register["sql_ms"], 2)
    extra = register["queries"] - floor["queries"]
    assert facts["orm_ms_per_query"] >= 0 and facts["orm_ms_per_query_unbaked"] >= 0
    assert register["least_at_queries_ms"] == round(register["least_ms"] + extra * facts["orm_ms_per_query"], 2)
    assert register["verdict"] in (
        "pass",
        "FAIL",
        "p95 pass; ratio FAIL",
        "p95 pass; ratio out of reach (floor)",
        f"p95 pass; ratio out of reach at {register['queries']} statements",
    )
    assert register["passed"] == (register["p95_ms"] <= 50 and register["ratio"] <= 3)
    assert register["sql_in_request_ms"] > 0  # the statements timed inside the page's own requests
    assert register["ratio_in_request"] == round(register["p50_ms"] / register["sql_in_request_ms"], 1)
    assert by_name["form: public report"]["sql_in_request_ms"] == 0  # no statement, nothing timed
    for r in results:
        if r["status"] == "ok":
            assert r["p50_ms"] > 0 and r["p95_ms"] >= r["p50_ms"] and r["max_ms"] >= r["p95_ms"]
            assert isinstance(r["queries"], int) and (r["queries"] > 0 or r["user"] == "anonymous")
            assert r["sql_ms"] is not None

    swept = sweep.run()
    assert swept["second"]["sent"] == 0
    assert swept["records_created"] == swept["first"]["sent"]

    result = {
        "started_at": "now",
        "size": "tiny",
        "machine": {"cpu": "x", "cores": 2, "ram_gb": 1, "postgresql": "15", "shared_buffers": "128MB"},
        "machine_python": "3.11",
        "generation": report,
        "rows": {"rules.Rule": 1},
        "pages": results,
        "orm_ms_per_query": facts["orm_ms_per_query"],
        "orm_ms_per_query_unbaked": facts["orm_ms_per_query_unbaked"],
        "sweep": swept,
        "public_form": {"status": "not run in the smoke test"},
    }
    result["machine"].update(python="3.11", django="5.2")
    markdown = render(json.loads(json.dumps(result, default=str)))
    assert "| register | officer |" in markdown
    assert "| floor: empty page (officer) | officer |" in markdown and "Product pages:" in markdown
    assert "## Reminder sweep" in markdown
