"""Reading the Prometheus text format the way a scraper does."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families


def samples(text: str, name: str) -> list[tuple[dict, float]]:
    """Return (labels, value) of every sample called name."""
    return [(s.labels, s.value) for family in text_string_to_metric_families(text) for s in family.samples
            if s.name == name]  # fmt: skip


def value(text: str, name: str, **labels: str) -> float:
    """Return the one sample called name whose labels include these (0 when there is none yet)."""
    found = [v for sample_labels, v in samples(text, name) if labels.items() <= sample_labels.items()]
    assert len(found) <= 1, f"{name} {labels} matches {len(found)} samples"
    return found[0] if found else 0.0
