"""load.py's slices taken in turns: new pages against /healthz under the same drift, each new URL asked once."""

import pytest

from tests.benchmarks.modules import benchmark_module

interleaved_cpu = benchmark_module("interleaved_cpu")


class DriftingServer:
    """Answers each slice with a fixed number of requests; the machine slows down slice by slice, for both kinds."""

    def __init__(self, page_cost: float, probe_cost: float):
        self.page_cost, self.probe_cost = page_cost, probe_cost
        self.speed = 1.0
        self.cpu = 0.0
        self.asked: list[tuple[str, ...]] = []

    def run_slice(self, paths, fresh):
        self.asked.append(tuple(paths))
        if fresh:
            answered = 100
            self.cpu += answered * self.page_cost * self.speed
        else:
            answered = 800
            self.cpu += answered * self.probe_cost * self.speed
        self.speed *= 1.05  # a third slower over six slices: what a run of phases reads as a change of ratio
        return answered, 0

    def meter(self):
        before = self.cpu
        return lambda: self.cpu - before


def test_the_ratio_is_the_pages_cost_against_healthz_under_the_same_drift():
    server = DriftingServer(page_cost=0.004, probe_cost=0.0005)  # 8x
    paths = [f"/clinics/c{i}" for i in range(4 * interleaved_cpu.SLICE_URLS)]
    found = interleaved_cpu.measure("/clinics/<slug>, a new one each", 8, paths, 4, server.run_slice, server.meter)
    assert found.pages == 400 and found.probes == 3200
    # Each turn's two slices see nearly the same speed, and which goes first alternates: the drift cancels out.
    assert found.ratio == pytest.approx(8.0, rel=0.01)
    assert found.pair_ratios == pytest.approx([8 * 1.05, 8 / 1.05, 8 * 1.05, 8 / 1.05])
    assert f"| {found.ratio:.1f}x |" in found.line() and found.line().endswith("| met |")


def test_read_phase_after_phase_the_same_drift_moves_the_ratio():
    # What the slices are for: the same server read as load.py's phases read it, /healthz's slices first.
    server = DriftingServer(page_cost=0.004, probe_cost=0.0005)
    probes = [server.run_slice([interleaved_cpu.HEALTHZ], False) for _ in range(4)]
    before = server.cpu
    pages = [server.run_slice(["/clinics/c"], True) for _ in range(4)]
    ratio = (server.cpu - before) / sum(n for n, _ in pages) / (before / sum(n for n, _ in probes))
    assert ratio > 8 * 1.2


def test_each_page_slice_asks_for_urls_nobody_asked_before():
    server = DriftingServer(page_cost=0.004, probe_cost=0.0005)
    paths = [f"/search?location=x&radius={i}" for i in range(3 * interleaved_cpu.SLICE_URLS)]
    interleaved_cpu.measure("/search, a new query each", 6, paths, 3, server.run_slice, server.meter)
    page_slices = [asked for asked in server.asked if asked != (interleaved_cpu.HEALTHZ,)]
    assert len(page_slices) == 3
    every = [path for asked in page_slices for path in asked]
    assert len(every) == len(set(every)) == len(paths)
    assert server.asked[0] == (interleaved_cpu.HEALTHZ,) and server.asked[2] != (interleaved_cpu.HEALTHZ,)


def test_the_slices_urls_are_kept_apart_from_the_phase_before_them():
    paths = [f"/api/v1/suggest?q={i}" for i in range(10 * interleaved_cpu.SLICE_URLS)]
    phase, kept = interleaved_cpu.reserve(paths, 4)
    assert len(kept) == 4 * interleaved_cpu.SLICE_URLS and not set(phase) & set(kept)
    assert phase + kept == paths
    with pytest.raises(ValueError, match="too few"):
        interleaved_cpu.reserve(paths[: 5 * interleaved_cpu.SLICE_URLS], 4)


def test_a_slice_with_failures_stops_the_measurement():
    def failing(paths, fresh):
        return 10, 3 if fresh else 0

    with pytest.raises(RuntimeError, match="3 failures"):
        interleaved_cpu.measure("/search, a new query each", 6, ["/search?location=x"] * 4000, 2, failing,
                                lambda: (lambda: 1.0))
