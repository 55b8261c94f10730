"""Profile one benchmark page: its statements, its time, and where Python spends it.

    .venv/bin/python -m bench.profile "rule detail"            # by page name (bench/pages.py)
    .venv/bin/python -m bench.profile /rules/ --user cadre     # or by URL
    .venv/bin/python -m bench.profile "history" --sort cumtime --top 60

Runs on the bench database (integrity.settings.bench), in-process, after a warm-up, like
`bench.pages`; then the same requests again under cProfile.
"""

import argparse
import cProfile
import io
import os
import pstats
import time


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("page", help="a page name from bench/pages.py (or part of one), or a URL")
    parser.add_argument("--user", default="officer", help="account for a URL (page names bring their own)")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--sort", default="tottime", choices=["tottime", "cumtime", "ncalls"])
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--only", help="a regular expression the listed functions' file:line(name) must match")
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "integrity.settings.bench")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from . import pages

    if args.page.startswith("/"):
        url, user = args.page, args.user
    else:
        page = next((p for p in pages.PAGES if args.page in p.name), None)
        if page is None:
            parser.error(f"no page named like {args.page!r}")
        url, user = page.url.format(**pages.targets()), page.user
    client = pages._client_for(user, {})
    for _ in range(3):
        response = client.get(url)
    print(f"{url} as {user}: {response.status_code}, {len(response.content):,} bytes")
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    statements = list(captured.captured_queries)
    for query in statements:
        print(f"  {float(query['time']) * 1000:6.2f} ms  {query['sql'][:200]}")
    times = []
    for _ in range(args.requests):
        t0 = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    print(f"{len(statements)} queries; p50 {times[len(times) // 2]:.2f} ms, min {times[0]:.2f} ms")
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(args.requests):
        client.get(url)
    profile.disable()
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out).sort_stats(args.sort)
    if args.only:
        stats.print_stats(args.only, args.top)
    else:
        stats.print_stats(args.top)
    print(out.getvalue())


if __name__ == "__main__":
    main()
