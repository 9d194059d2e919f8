"""The page store keeps within its byte budget and never hands back a page older than its age limit."""

from provider_dir.pagecache.store import PageStore, StoredPage


def page(size: int, at: float = 0.0) -> StoredPage:
    return StoredPage(b"x" * size, 200, "text/html; charset=utf-8", at)


def test_the_least_recently_used_page_goes_first_when_the_budget_is_full():
    store = PageStore(max_bytes=300, max_age=60)
    store.put("a", page(100))
    store.put("b", page(100))
    store.put("c", page(100))
    assert store.get("a", now=1) is not None  # a is now the most recently used
    store.put("d", page(100))
    assert store.get("b", now=1) is None
    assert [key for key in "acd" if store.get(key, now=1) is not None] == ["a", "c", "d"]
    assert store.size_bytes == 300


def test_a_page_older_than_the_age_limit_is_not_served_and_is_dropped():
    store = PageStore(max_bytes=1000, max_age=60)
    store.put("a", page(10, at=100))
    assert store.get("a", now=160) is not None
    assert store.get("a", now=160.5) is None
    assert len(store) == 0 and store.size_bytes == 0


def test_a_page_bigger_than_the_whole_budget_is_not_kept():
    store = PageStore(max_bytes=50, max_age=60)
    store.put("small", page(10))
    store.put("huge", page(51))
    assert store.get("huge", now=0) is None
    assert store.get("small", now=0) is not None


def test_storing_a_key_again_replaces_its_page_and_its_bytes():
    store = PageStore(max_bytes=1000, max_age=60)
    store.put("a", page(100))
    store.put("a", page(40))
    assert store.size_bytes == 40
    assert len(store.get("a", now=0).body) == 40


def test_a_page_that_shows_the_time_of_day_is_dropped_when_it_goes_out_of_date():
    store = PageStore(max_bytes=1000, max_age=300)
    store.put("open-now", StoredPage(b"Open now", 200, "text/html; charset=utf-8", 100, expires_at=130))
    assert store.get("open-now", now=129.9) is not None
    assert store.get("open-now", now=130) is None
    assert len(store) == 0
