"""The import's duplicate look-up (`imports/duplicates.py`) at two sizes, beside the old look-up in the same run.

    .venv/bin/python benchmarks/duplicates_bench.py                     # 100,000 and 1,000,000 listings
    .venv/bin/python benchmarks/duplicates_bench.py --sizes 20000 200000

For each size N it places N synthetic listings as the synthetic seed places clinics (a US place drawn by population,
scattered around it, a name from the seed's name generator), builds the index of them, then looks up N / 10 rows (as
`bulk_bench.py`'s import job imports one row per ten clinics): 99% new synthetic clinics placed the same way, 1%
planted duplicates (an existing listing's name with ", LLC" added or two letters swapped, 0 to 300 m away, at least
85% alike). The rows have no phone or website, so every look-up takes the name-and-place path, the only one that
depends on how many listings are around. Both look-ups run on the same listings and rows: the current
`DuplicateIndex`, and a copy of the old one kept below (0.02-degree cells, a Python loop scoring every listing of
the 3x3 block around the row, then the distance). It prints time per look-up, totals, the ratio between the sizes,
how many rows the two call duplicates alike, and the memory each index's grid takes (the dict, its cells, its tuples
and the strings it made; the slugs and name keys both share are not counted). It never asserts a time.
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rapidfuzz import fuzz  # noqa: E402

from provider_dir.imports.duplicates import (  # noqa: E402
    HALF_MILE_KM,
    NAME_THRESHOLD,
    DuplicateIndex,
    Known,
    distance_km,
    half_mile_cells,
    name_key,
)
from provider_dir.seeding.content.clinics import clinic_name  # noqa: E402
from provider_dir.seeding.places import KM_PER_DEGREE_LAT, population_sampler  # noqa: E402
from provider_dir.seeding.quickrandom import QuickRandom  # noqa: E402

LOOKUP_SHARE = 10  # one row looked up per ten listings
PLANTED_SHARE = 100  # 1% of the rows are planted duplicates


class OldIndex:
    """The look-up as it was before issue 21 (a copy, kept as the baseline): only the name-and-place path."""

    CELL_DEGREES = 0.02

    def __init__(self) -> None:
        self.grid: dict[int, list[Known]] = defaultdict(list)

    def _cell(self, latitude: float, longitude: float) -> tuple[int, int]:
        return int(math.floor(latitude / self.CELL_DEGREES)), int(math.floor(longitude / self.CELL_DEGREES))

    def add_keys(self, clinic_id: int, slug: str, keys: tuple[str, str, str], latitude: float,
                 longitude: float) -> None:
        """Remember a listing by its keys (as the old add_keys did, less the phone and domain dictionaries)."""
        known = Known(clinic_id, slug, keys[2], latitude, longitude)
        ci, cj = self._cell(latitude, longitude)
        self.grid[ci * 100_000 + cj].append(known)

    def find(self, wanted: str, latitude: float, longitude: float) -> tuple[Known, str] | None:
        """Return the first listing of the 3x3 block with a close name within half a mile, or None."""
        ci, cj = self._cell(latitude, longitude)
        for di in (-1, 0, 1):
            for dj in (-1, 0, 1):
                for known in self.grid.get((ci + di) * 100_000 + cj + dj, ()):
                    score = fuzz.token_sort_ratio(wanted, known.key, score_cutoff=NAME_THRESHOLD)
                    if score and distance_km(latitude, longitude, known.latitude, known.longitude) <= HALF_MILE_KM:
                        return known, f"similar name ({score:.0f}% alike) within half a mile"
        return None


def place_listings(rng: QuickRandom, n: int) -> list[tuple[str, float, float]]:
    """Return n (name, latitude, longitude) placed and named as the synthetic seed does."""
    sampler = population_sampler()
    result = []
    for index in sampler.draw(rng, n):
        latitude, longitude = sampler.jitter(rng, index)
        result.append((clinic_name(rng, sampler.places[index].name), latitude, longitude))
    return result


def planted(rng: QuickRandom, name: str, latitude: float, longitude: float) -> tuple[str, float, float]:
    """Return a second listing of a clinic: its name spoilt a little (still 85% alike), 0 to 300 m away."""
    if len(name) >= 14 and rng.random() < 0.5:  # two letters swapped: at least 1 - 2/28 = 93% alike
        i = rng.randint(1, len(name) - 1)
        name = name[:i - 1] + name[i] + name[i - 1] + name[i + 1:]
    else:
        name += rng.choice((", LLC", " Ketamine Center"))
    km, bearing = rng.random() * 0.3, rng.random() * 2 * math.pi
    dlat = km * math.cos(bearing) / KM_PER_DEGREE_LAT
    dlon = km * math.sin(bearing) / (KM_PER_DEGREE_LAT * math.cos(math.radians(latitude)))
    return name, latitude + dlat, longitude + dlon


def structure_mb(grid: dict, tuples: bool = True) -> float:
    """Return what an index's grid takes: the dict, its int keys, the cell lists and strings it made, the tuples.

    The slugs and name keys, which both indexes share with the listings they were given, are not counted.
    """
    total = sys.getsizeof(grid)
    for cell, listed in grid.items():
        total += sys.getsizeof(cell) + sys.getsizeof(listed)
        total += sum(sys.getsizeof(item) for item in listed if isinstance(item, str))  # the new grid's joined keys
        if tuples:
            total += sum(sys.getsizeof(item) for item in listed if isinstance(item, tuple))
    return total / 2**20


def better_or_same(row, new: Known, new_why: str, old: Known, old_why: str) -> bool:
    """Return whether the new look-up's listing is at least as alike as the old's and, equally alike, as near."""
    def alike(why: str) -> int:
        return int(why.split("(")[1].split("%")[0])

    _, lat, lon = row
    if alike(new_why) != alike(old_why):
        return alike(new_why) > alike(old_why)
    return distance_km(lat, lon, new.latitude, new.longitude) <= distance_km(lat, lon, old.latitude, old.longitude)


def timed(find, rows) -> tuple[list, float, float]:
    """Return each row's answer, and the wall and CPU seconds all took (one process, no I/O: CPU is the figure)."""
    started, cpu = time.perf_counter(), time.process_time()
    answers = [find(row) for row in rows]
    return answers, time.perf_counter() - started, time.process_time() - cpu


def run(size: int, seed: int, old: bool) -> dict:
    """Build both indexes over size listings, look up size / 10 rows in each; return the figures."""
    rng = QuickRandom(seed)
    started = time.perf_counter()
    listings = [Known(i, f"c-{i}", name_key(name), lat, lon)
                for i, (name, lat, lon) in enumerate(place_listings(rng, size), start=1)]
    n_rows = size // LOOKUP_SHARE
    rows, planted_ids = [], {}
    for r, (name, lat, lon) in enumerate(place_listings(rng, n_rows)):
        if r % PLANTED_SHARE == PLANTED_SHARE // 2:
            original = listings[rng.randint(0, size - 1)]
            # The seed's listing name is gone (only its key is kept): spoil a fresh name built on the key's words.
            name, lat, lon = planted(rng, original.key.title(), original.latitude, original.longitude)
            planted_ids[r] = original.clinic_id
        rows.append((name_key(name), lat, lon))
    made = time.perf_counter() - started
    gc.collect()

    figures: dict = {"size": size, "rows": n_rows, "planted": len(planted_ids), "made": made}
    started = time.process_time()
    index = DuplicateIndex()
    for k in listings:
        index.add_keys(k.clinic_id, k.slug, ("", "", k.key), k.latitude, k.longitude)
    figures["new_build"] = time.process_time() - started
    figures["cells"] = len(index.grid)
    figures["box"] = sum(len(listed) - 1 for _, lat, lon in rows for cell in half_mile_cells(lat, lon)
                         if (listed := index.grid.get(cell)) is not None) / n_rows
    new, figures["new_wall"], figures["new"] = timed(lambda row: index.find_keys(("", "", row[0]), *row[1:]), rows)
    figures["new_mb"] = structure_mb(index.grid)  # after the look-ups: with the joined keys they made
    figures["new_found"] = sum(a is not None for a in new)
    figures["new_planted"] = sum(new[r] is not None for r in planted_ids)
    if old:
        gc.collect()
        started = time.process_time()
        baseline = OldIndex()
        for k in listings:
            baseline.add_keys(k.clinic_id, k.slug, ("", "", k.key), k.latitude, k.longitude)
        figures["old_build"], figures["old_mb"] = time.process_time() - started, structure_mb(baseline.grid)
        figures["block"] = sum(len(baseline.grid.get((ci + di) * 100_000 + cj + dj, ()))
                               for _, lat, lon in rows for ci, cj in (baseline._cell(lat, lon),)
                               for di in (-1, 0, 1) for dj in (-1, 0, 1)) / n_rows
        was, figures["old_wall"], figures["old"] = timed(lambda row: baseline.find(*row), rows)
        figures["old_found"] = sum(a is not None for a in was)
        figures["old_planted"] = sum(was[r] is not None for r in planted_ids)
        figures["agree"] = sum((a is None) == (b is None) for a, b in zip(new, was, strict=True))
        figures["same_listing"] = sum(a is not None and b is not None and a[0] == b[0]
                                      for a, b in zip(new, was, strict=True))
        # A row where both found one but not the same: the old took the first in its loop, the new the best.
        figures["both_found"] = sum(a is not None and b is not None for a, b in zip(new, was, strict=True))
        figures["better"] = sum(better_or_same(row, *a, *b) for row, a, b in zip(rows, new, was, strict=True)
                                if a is not None and b is not None and a[0] != b[0])
    return figures


def report(f: dict) -> None:
    """Print one size's figures."""
    rows = f["rows"]
    print(f"\n{f['size']:,} listings ({f['cells']:,} cells of the new grid), {rows:,} look-ups "
          f"({f['planted']:,} planted duplicates); data made in {f['made']:.1f} s")
    print(f"  listings read per look-up: new {f['box']:.1f} (the cells of the half-mile box), "
          f"old {f.get('block', 0):.1f} (the 3x3 block of 0.02-degree cells)")
    print(f"  new: {f['new'] * 1e6 / rows:8.1f} us of CPU per look-up, {f['new']:8.2f} s in all "
          f"({f['new_wall']:.2f} s wall); "
          f"index built in {f['new_build']:.1f} s of CPU, {f['new_mb']:.0f} MB; "
          f"duplicates found {f['new_found']:,} (planted caught {f['new_planted']:,})")
    if "old" in f:
        print(f"  old: {f['old'] * 1e6 / rows:8.1f} us of CPU per look-up, {f['old']:8.2f} s in all "
              f"({f['old_wall']:.2f} s wall); "
              f"index built in {f['old_build']:.1f} s of CPU, {f['old_mb']:.0f} MB; "
              f"duplicates found {f['old_found']:,} (planted caught {f['old_planted']:,})")
        print(f"  new is {f['old'] / f['new']:.1f}x faster; the same verdict on {f['agree']:,} of {rows:,} rows; "
              f"where both found one ({f['both_found']:,}), the same listing {f['same_listing']:,} times, and of "
              f"the others the new one's is at least as alike (then as near) {f['better']:,} times")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs=2, default=[100_000, 1_000_000], help="the two sizes")
    parser.add_argument("--seed", type=int, default=21)
    parser.add_argument("--no-old", action="store_true", help="skip the old look-up (the baseline)")
    args = parser.parse_args()
    print(f"duplicate look-up benchmark, {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}")
    small, large = (run(size, args.seed, not args.no_old) for size in args.sizes)
    for figures in (small, large):
        report(figures)
    print(f"\nratio {large['size']:,} / {small['size']:,} listings (look-ups' CPU in all, linear is "
          f"{large['rows'] / small['rows']:.0f}): new {large['new'] / small['new']:.1f}", end="")
    if "old" in small:
        print(f", old {large['old'] / small['old']:.1f}", end="")
    print(f"; load average now {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
