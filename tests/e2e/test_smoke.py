"""The home page opens in a real browser."""

import pytest

pytestmark = pytest.mark.e2e


def test_home_page_shows_the_search_box_and_the_fictional_data_notice(page):
    page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Find a safe ketamine")
    assert page.get_by_label("ZIP code or city").is_visible()
    assert "fictional" in page.locator(".demo-banner").inner_text()
