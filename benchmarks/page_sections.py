"""What each part of a fresh page costs the worker, and why a function costs more inside a page than alone.

    .venv/bin/python benchmarks/page_sections.py --kind clinic              # every section of the clinic page
    .venv/bin/python benchmarks/page_sections.py --kind search --pages 1500
    .venv/bin/python benchmarks/page_sections.py --kind search --twice page_url_builder

Sections: two copies of the app in one process on benchmarks/search_bench.py's 100,000 clinics (SQLite, or
PostgreSQL when DATABASE_URL says so), one whole and one with a part of a template taken out (a regular expression
over the template's source, which must match once), each warmed as a gunicorn worker is
(core.warmup.ready_worker). They then take turns page by page, each page one nobody asked before (page_profile.py's
URLs, load.py's), and each page's CPU (time.process_time, through the test client) is added to its app's total, so
the machine's drift, which moves a run by more than a part costs, falls on both alike. Printed per part: the whole
page's CPU, what the part's absence saved, in ms and as a share. A part's data read before the template (the view's
own reads) is not taken out with it; a template global it calls is.

--twice NAME: one app, whose Jinja global NAME is called twice wherever the page calls it: printed, the first call's
time and the second's (perf_counter, per call). The second runs on caches the first has just filled; the first on
what the rest of the page left in them, as every call in a page does.

Nothing is asserted: these are figures for deciding where to look, beside the README's rounds under issue 18.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# (name, template, what is taken out): each part as the page's templates write it today.
SECTIONS = {
    "clinic": [
        ("checklist panel", "listings/clinic.html", r'\{% include "scoring/_clinic_score.html" ignore missing %\}'),
        ("checklist items", "scoring/_clinic_score.html", r"\{\{ score_item_html\(result\) \}\}"),
        ("limits and history", "scoring/_clinic_score.html", r'<div class="score-more">.*?</div>\n</section>'),
        ("reviews list", "listings/clinic.html", r'\{% include "reviews/_clinic_reviews.html" %\}'),
        ("rating panel", "listings/clinic.html", r'\{% include "reviews/_clinic_summary.html" ignore missing %\}'),
        ("staff table rows", "listings/clinic.html", r"      \{% for member in staff %\}.*?\n      \{% endfor %\}"),
        ("credential badges", "listings/clinic.html", r"\{\{ credential_status_badge\(credential, today\) \}\}"),
        ("opening hours", "listings/clinic.html", r'\{% include "hours/_table.html" %\}'),
    ],
    "search": [
        ("result cards", "geo/search.html", r"\{\{ result_cards\(results\.hits, [^}]*\) \}\}"),
        ("search panel", "geo/search.html", r"\{\{ search_panel\([^}]*\) \}\}"),
        ("pagination", "geo/search.html", r'\{% include "partials/pagination\.html" %\}'),
    ],
}
WARM_PAGES = 150


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kind", choices=sorted(SECTIONS), default="clinic", help="which fresh page")
    parser.add_argument("--pages", type=int, default=800, help="fresh pages each app renders per part")
    parser.add_argument("--only", nargs="*", help="parts to measure, by name (default: all of the kind's)")
    parser.add_argument("--twice", metavar="NAME", help="a Jinja global: its first call in a page against a second")
    return parser.parse_args()


def make_app(url: str, overrides: dict[str, str] | None = None):
    """Return an app on the benchmark database, with these templates' sources replaced."""
    from jinja2 import ChoiceLoader, DictLoader

    from provider_dir import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
    if overrides:
        app.jinja_env.loader = ChoiceLoader([DictLoader(overrides), app.jinja_env.loader])
    return app


def without(template: str, pattern: str) -> dict[str, str]:
    """Return {template: its source with the one match of pattern taken out}."""
    source = (ROOT / "templates" / template).read_text(encoding="utf-8")
    changed, found = re.subn(pattern, "", source, flags=re.S)
    if found != 1:
        raise SystemExit(f"{template}: the pattern {pattern!r} matched {found} times, not once; update SECTIONS")
    return {template: changed}


def warmed_client(app, paths):
    """Return a test client of the app after WARM_PAGES pages, the app readied as a gunicorn worker is."""
    from provider_dir.core.warmup import ready_worker

    client = app.test_client()
    for _ in range(WARM_PAGES):
        client.get(next(paths))
    ready_worker(app)
    return client


def alternate(whole, part, paths, pages: int) -> tuple[float, float]:
    """Return (ms per page of the whole app, of the other), taking turns page by page, who goes first swapped."""
    spent = [0.0, 0.0]
    clients = (whole, part)
    for i in range(pages):
        for j in ((0, 1) if i % 2 else (1, 0)):
            path = next(paths)
            started = time.process_time()
            response = clients[j].get(path)
            spent[j] += time.process_time() - started
            if response.status_code != 200:
                raise SystemExit(f"{path}: {response.status_code}")
    return spent[0] / pages * 1000, spent[1] / pages * 1000


def measure_sections(url: str, kind: str, pages: int, only: list[str] | None) -> None:
    """Print each part's cost: the whole app against one without the part, page by page."""
    import page_profile

    parts = [part for part in SECTIONS[kind] if not only or part[0] in only]
    paths = iter(page_profile.urls(url, (WARM_PAGES + 2 * pages) * (len(parts) + 1))[kind])
    whole = warmed_client(make_app(url), paths)
    print(f"{kind} page, {pages} fresh pages each way per part (ms of worker CPU per page)")
    print("| part taken out | whole page | without it | saved | share |")
    print("|:--|--:|--:|--:|--:|")
    for name, template, pattern in parts:
        other = warmed_client(make_app(url, without(template, pattern)), paths)
        full, less = alternate(whole, other, paths, pages)
        print(f"| {name} | {full:.3f} | {less:.3f} | {full - less:.3f} | {(full - less) / full:.1%} |", flush=True)


def measure_twice(url: str, kind: str, pages: int, name: str) -> None:
    """Print the first call's time of a Jinja global in a page against the same call made again at once."""
    import page_profile

    app = make_app(url)
    original = app.jinja_env.globals.get(name)
    if original is None:
        raise SystemExit(f"no Jinja global named {name!r}")
    spent = [0.0, 0.0, 0]

    def twice(*args, **kwargs):
        started = time.perf_counter()
        result = original(*args, **kwargs)
        first = time.perf_counter()
        original(*args, **kwargs)
        second = time.perf_counter()
        spent[0] += first - started
        spent[1] += second - first
        spent[2] += 1
        return result

    paths = iter(page_profile.urls(url, WARM_PAGES + pages)[kind])
    client = warmed_client(app, paths)
    app.jinja_env.globals[name] = twice
    for _ in range(pages):
        client.get(next(paths))
    calls = spent[2] or 1
    print(f"{name} in {kind} pages: first call {spent[0] / calls * 1e6:.1f} us, the same call again at once "
          f"{spent[1] / calls * 1e6:.1f} us ({spent[2]} calls)")


def main() -> None:
    args = parse_args()
    # Set before anything imports prometheus_client, which decides at import where the figures go; here, not at this
    # module's import, so that importing it (tests/benchmarks) changes nothing in the importing process.
    os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="page-sections-"))
    sys.path[:0] = [str(ROOT), str(ROOT / "benchmarks")]
    import page_profile
    import search_bench

    logging.disable(logging.CRITICAL)
    url = search_bench.backend_url(page_profile.SIZE)
    if args.twice:
        measure_twice(url, args.kind, args.pages, args.twice)
    else:
        measure_sections(url, args.kind, args.pages, args.only)


if __name__ == "__main__":
    main()
