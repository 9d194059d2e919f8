"""Save clinic pages' HTML, then check after a change that they are byte for byte the same.

    .venv/bin/python benchmarks/clinic_page_snapshots.py save /tmp/pages          # before the change
    .venv/bin/python benchmarks/clinic_page_snapshots.py check /tmp/pages         # after it: prints differences
    .venv/bin/python benchmarks/clinic_page_snapshots.py save /tmp/pages --url sqlite:////tmp/demo.sqlite3

Renders `--n` clinic pages drawn from the database (load.py's 100,000 clinics by default, or --url, e.g. a
database with the demo data), the first ten again with ?page=2 and ?stars=5 and three with a refused filter,
through the test client with the page store off, at a fixed instant (open now / closed now stay the same).
Exits 1 when any page differs. The clinic page's speed work was checked with it (README, "Third round").
"""

from __future__ import annotations

import argparse
import difflib
import random
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import page_profile  # noqa: E402 - the slugs benchmarks draw their URLs from
import search_bench  # noqa: E402

import provider_dir.hours.page as hours_page  # noqa: E402

INSTANT = datetime(2026, 12, 2, 15, 30, tzinfo=UTC)


def paths(url: str, n: int) -> list[str]:
    """Return the pages to render: n clinics, then filtered and second pages of the first ten."""
    slugs = page_profile.published_slugs(url)
    slugs = random.Random(11).sample(slugs, min(n, len(slugs)))
    return ([f"/clinics/{s}" for s in slugs] + [f"/clinics/{s}?page=2" for s in slugs[:10]]
            + [f"/clinics/{s}?stars=5" for s in slugs[:10]] + [f"/clinics/{s}?stars=9" for s in slugs[:3]])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=("save", "check"))
    parser.add_argument("folder", type=Path)
    parser.add_argument("--url", help="database URL (default: load.py's 100,000 clinics)")
    parser.add_argument("--n", type=int, default=50)
    args = parser.parse_args()
    from provider_dir import create_app

    hours_page.current_instant = lambda: INSTANT
    url = args.url or search_bench.backend_url(100_000)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False, "LOG_LEVEL": "WARNING",
                      "PAGE_CACHE_ENABLED": False})
    client = app.test_client()
    args.folder.mkdir(parents=True, exist_ok=True)
    differ = 0
    pages = paths(url, args.n)
    for i, path in enumerate(pages):
        response = client.get(path)
        body = f"{path}\n{response.status_code}\n".encode() + response.data
        saved = args.folder / f"{i:04d}.html"
        if args.action == "save":
            saved.write_bytes(body)
            continue
        before = saved.read_bytes() if saved.exists() else b""
        if before != body:
            differ += 1
            if differ <= 3:
                print(f"differs: {path}")
                diff = difflib.unified_diff(before.decode().splitlines(), body.decode().splitlines(), lineterm="", n=1)
                print("\n".join(list(diff)[:40]))
    print(f"{args.action}: {len(pages)} pages" + (f", {differ} differ" if args.action == "check" else ""))
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
