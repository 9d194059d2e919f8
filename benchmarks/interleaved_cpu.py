"""Server CPU per request of new pages read against /healthz's, the two taken in turns a second at a time.

load.py reads a phase of new pages (ten seconds or more) against the /healthz phases just before and after it. This
machine's speed drifts by a third within minutes (a virtual machine's neighbours): in one run /healthz took 0.81 ms
of the workers' CPU in the phase before the clinic pages and 0.56 ms in the one after them, so a page's ratio moved
with the moment it ran. Here /healthz and the new pages take turns in slices of one second (which goes first
alternates), each slice a wrk run of its own with the workers' CPU read from /proc around it, so both are measured
under the same drift; the ratio is that of their sums. Each page slice reads URLs nobody asked before.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass, field

HEALTHZ = "/healthz"
SLICE_SECONDS = 1
SLICE_URLS = 2_000  # more new URLs than a slice of one second can ask for (suggestions run at up to 1,300 a second)


@dataclass
class Interleaved:
    """The new pages and the /healthz requests of the slices, and the workers' CPU seconds over each kind."""

    name: str
    limit: int
    pages: int = 0
    page_cpu: float = 0.0
    probes: int = 0
    probe_cpu: float = 0.0
    pair_ratios: list[float] = field(default_factory=list)  # each page slice against the /healthz slice beside it

    @property
    def ms(self) -> float:
        """Server CPU per new page, in ms."""
        return self.page_cpu / self.pages * 1000 if self.pages else 0.0

    @property
    def baseline_ms(self) -> float:
        """Server CPU per /healthz request in the same slices' turns, in ms."""
        return self.probe_cpu / self.probes * 1000 if self.probes else 0.0

    @property
    def ratio(self) -> float:
        """Server CPU per new page, x /healthz's."""
        return self.ms / self.baseline_ms if self.baseline_ms else float("inf")

    def line(self) -> str:
        """Return this page's row of the report's table."""
        pairs = sorted(self.pair_ratios)
        spread = f"{statistics.median(pairs):.1f}x ({pairs[0]:.1f}-{pairs[-1]:.1f})" if pairs else "-"
        verdict = "met" if self.ratio <= self.limit else "missed"
        return (f"| {self.name} | {self.pages} | {self.ms:.2f} | {self.probes} | {self.baseline_ms:.2f} "
                f"| {self.ratio:.1f}x | {spread} | {self.limit}x | {verdict} |")


# (paths, fresh) -> (requests answered, failures); the CPU is read around it.
SliceRunner = Callable[[list[str], bool], tuple[int, int]]
CpuMeter = Callable[[], Callable[[], float]]


def reserve(paths: list[str], slices: int) -> tuple[list[str], list[str]]:
    """Split a phase's new URLs: those its own phase asks for, and the last ones, kept for the slices."""
    kept = slices * SLICE_URLS
    if len(paths) < 2 * kept:
        raise ValueError(f"{len(paths)} new URLs are too few for {slices} slices of up to {SLICE_URLS}")
    return paths[:-kept], paths[-kept:]


def measure(name: str, limit: int, paths: list[str], slices: int, run_slice: SliceRunner,
            meter: CpuMeter) -> Interleaved:
    """Take `slices` turns of one /healthz slice and one slice of new pages; return what they measured."""
    found = Interleaved(name, limit)
    for turn in range(slices):
        chunk = paths[turn * SLICE_URLS:(turn + 1) * SLICE_URLS]
        per_request = {}
        for kind in (("probe", "page") if turn % 2 == 0 else ("page", "probe")):
            used = meter()
            answered, failures = run_slice(chunk, True) if kind == "page" else run_slice([HEALTHZ], False)
            cpu = used()
            if failures:
                raise RuntimeError(f"{name}: {failures} failures in a slice of {kind}s")
            if kind == "page":
                found.pages, found.page_cpu = found.pages + answered, found.page_cpu + cpu
            else:
                found.probes, found.probe_cpu = found.probes + answered, found.probe_cpu + cpu
            per_request[kind] = cpu / answered if answered else None
        if per_request["page"] and per_request["probe"]:
            found.pair_ratios.append(per_request["page"] / per_request["probe"])
    return found


TABLE_HEAD = (
    "| page | new pages | server ms/req | /healthz requests | /healthz ms/req | ratio | slices' ratios (median, range) "
    "| target | by the sums |\n|:--|--:|--:|--:|--:|--:|:--|--:|:--|"
)
