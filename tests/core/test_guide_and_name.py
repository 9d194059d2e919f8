"""The /guide page for a first-time patient, and the product name patients see."""

import html as html_lib
import re

import pytest

from provider_dir.config import PROJECT_ROOT
from provider_dir.core.views import SITE_NAME
from provider_dir.scoring.checklist.items import SOURCES


def text_of(html: str) -> str:
    return html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_the_guide_describes_before_during_after_and_cites_its_sources(client):
    response = client.get("/guide")
    assert response.status_code == 200
    text = text_of(response.get_data(as_text=True))
    for heading in ("Before the first infusion", "During an infusion", "After an infusion",
                    "Side effects and how they are watched", "The course: how many sessions",
                    "Psychotherapy alongside", "The price", "Choosing a clinic", "Sources"):
        assert heading in text
    assert "40 to 60 minutes" in text and "nausea, dizziness, raised blood pressure" in text
    for source in SOURCES.values():
        assert source.citation in text
    assert "not medical advice" in text and "your own doctor" in text and "988" in text


def test_the_home_page_links_to_the_guide(client):
    html = client.get("/").get_data(as_text=True)
    assert 'href="/guide"' in html and "New to ketamine treatment?" in html


@pytest.mark.parametrize("path", ["/", "/guide", "/about", "/methodology", "/clinics", "/no-such-page"])
def test_every_page_shows_the_product_name_not_the_package_name(client, path):
    html = client.get(path).get_data(as_text=True)
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert title.endswith(f"· {SITE_NAME}")
    assert f'<span class="brand-name">{SITE_NAME}</span>' in html
    footer = html[html.index('<footer class="site-footer">'):]
    assert SITE_NAME in footer
    assert "provider_dir" not in text_of(html)


def test_the_readme_records_the_name_and_why():
    readme = (PROJECT_ROOT / "README.md").read_text()
    section = readme[readme.index("## Name"):]
    assert SITE_NAME in section.split("\n## ", 1)[0]
