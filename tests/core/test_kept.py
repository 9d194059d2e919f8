"""Values made once per key and kept, the oldest going first beyond the limit."""

from __future__ import annotations

from provider_dir.core.kept import Kept


def test_a_value_is_made_once_per_key_and_the_oldest_goes_beyond_the_limit():
    made: list[str] = []

    def make(key: str):
        return lambda: made.append(key) or f"<p>{key}</p>"

    kept: Kept[str] = Kept(2)
    assert kept.get("a", make("a")) == kept.get("a", make("a")) == "<p>a</p>"
    assert made == ["a"]
    kept.get("b", make("b"))
    kept.get("c", make("c"))  # a third key: "a", the oldest made, goes
    assert len(kept) == 2
    kept.get("b", make("b"))
    kept.get("a", make("a"))
    assert made == ["a", "b", "c", "a"]
