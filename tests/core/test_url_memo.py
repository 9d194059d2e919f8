"""Relative URLs kept per process are exactly what Flask builds, whatever the arguments, blueprint or script root."""

from __future__ import annotations

import pytest
from flask import request, url_for

from provider_dir.core.urls import page_url_builder

CASES = [
    ("static", {"filename": "css/clinic.css"}),
    ("listings.clinic_page", {"slug": "harbor-light-12"}),
    ("listings.clinic_page", {"slug": "harbor-light-12", "page": 2, "stars": 4}),
    ("listings.clinic_page", {"slug": "caf\u00e9 & co"}),
    ("search.results", {"location": "Austin, TX", "radius": "10.5"}),
]


def flask_built(app, endpoint, values, **options):
    """What Flask's own url_for returns, with the memo bypassed."""
    return type(app).url_for(app, endpoint, **options, **values)


@pytest.mark.parametrize(("endpoint", "values"), CASES)
def test_kept_urls_are_the_ones_flask_builds(app, endpoint, values):
    with app.test_request_context("/"):
        first, again = url_for(endpoint, **values), url_for(endpoint, **values)
        assert first == again == flask_built(app, endpoint, values)


def test_a_different_script_root_gets_its_own_urls(app):
    with app.test_request_context("/"):
        plain = url_for("listings.clinic_page", slug="a")
    with app.test_request_context("/", base_url="http://localhost/guide/"):
        mounted = url_for("listings.clinic_page", slug="a")
    assert plain == "/clinics/a" and mounted == "/guide/clinics/a"


def test_absolute_urls_and_anchors_are_built_as_flask_builds_them(app):
    with app.test_request_context("/", base_url="https://guide.example"):
        assert url_for("listings.clinic_page", slug="a", _external=True) == "https://guide.example/clinics/a"
        assert url_for("listings.clinic_page", slug="a", _anchor="reviews") == "/clinics/a#reviews"
        assert url_for("listings.clinic_page", slug="a") == "/clinics/a"


def test_relative_endpoints_follow_the_current_blueprint(app, client, create_clinic):
    with app.test_request_context("/clinics/x"):
        app.preprocess_request()
        assert url_for(".clinic_page", slug="b") == "/clinics/b"


def test_unhashable_arguments_still_build(app):
    with app.test_request_context("/"):
        assert url_for("search.results", location=["10001", "10002"]) == flask_built(
            app, "search.results", {"location": ["10001", "10002"]})


def test_templates_build_the_same_urls_through_the_kept_ones(app):
    from flask import render_template_string

    with app.test_request_context("/"):
        html = render_template_string("{{ url_for('listings.clinic_page', slug='a b') }}|{{ url_for('static', "
                                      "filename='css/clinic.css') }}")
        assert app.jinja_env.globals["url_for"] is app.url_for
        assert html == f"{flask_built(app, 'listings.clinic_page', {'slug': 'a b'})}|" \
                       f"{flask_built(app, 'static', {'filename': 'css/clinic.css'})}"


def test_links_to_many_pages_are_the_ones_flask_builds(app):
    # A clinic's page, asked once per card or suggestion: built around a marker, the slug put in its place.
    slugs = ["harbor-light-12", "a", "x.y_z~9", "caf\u00e9-co", "a b", "50%-off", "semi;colon"]
    with app.test_request_context("/clinics/x"):
        app.preprocess_request()
        for slug in slugs:
            expected = flask_built(app, "listings.clinic_page", {"slug": slug})
            assert url_for("listings.clinic_page", slug=slug) == url_for(".clinic_page", slug=slug) == expected
        # A converter that changes what it is given is left to Flask: "007" as an int is 7.
        assert url_for("admin.account", user_id="007") == flask_built(app, "admin.account", {"user_id": "007"})
        assert url_for("admin.account", user_id="007") == "/admin/users/7"
        # A value that is not a rule's argument becomes a query string, as Flask makes it.
        query = {"location": "denver"}
        assert url_for("search.results", **query) == flask_built(app, "search.results", query)
    with app.test_request_context("/", base_url="http://localhost/guide/"):
        assert url_for("listings.clinic_page", slug="harbor-light-12") == "/guide/clinics/harbor-light-12"


def test_links_with_an_anchor_or_a_query_argument_are_the_ones_flask_builds(app):
    # A clinic page's links to itself at an anchor, and to its transparency log (?clinic=...): built around a marker.
    slugs = ["harbor-light-12", "x.y_z~9", "caf\u00e9-co", "a b", "50%-off", "a&b=c"]
    anchors = ["reviews", "rev iews", "a#b", "caf\u00e9"]
    with app.test_request_context("/clinics/x"):
        for slug in slugs:
            for anchor in anchors:
                for page in (None, 2):
                    values = {"slug": slug} if page is None else {"slug": slug, "page": page}
                    expected = flask_built(app, "listings.clinic_page", values, _anchor=anchor)
                    assert url_for("listings.clinic_page", _anchor=anchor, **values) == expected
            expected = flask_built(app, "transparency.log_page", {"clinic": slug})
            assert url_for("transparency.log_page", clinic=slug) == expected
        for number in (0, 42, -1):
            expected = flask_built(app, "transparency.log_page", {"clinic": number})
            assert url_for("transparency.log_page", clinic=number) == expected


def test_links_with_a_whole_number_are_the_ones_flask_builds(app):
    # A review's report link, asked once per review on a clinic page: built around a marker, the number put in.
    with app.test_request_context("/clinics/x"):
        app.preprocess_request()
        for review_id in (0, 7, 12345, 10**12):
            expected = flask_built(app, "reports.report", {"review_id": review_id})
            assert url_for("reports.report", review_id=review_id) == expected == f"/reviews/{review_id}/report"
        # What the int converter refuses or changes is left to Flask: a negative number, a bool, a text.
        for odd in (-3, True, "12"):
            assert url_for("reports.report", review_id=odd) == flask_built(app, "reports.report", {"review_id": odd})


@pytest.mark.parametrize("query", [
    "/search?location=Austin%2C+TX&radius=10.5&page=3",
    "/search?location=caf%C3%A9+%26+co&language=Spanish&features=evenings",
    "/search?location=9876543210123&radius=9876543210123",  # the builder's marker typed in: built page by page
])  # fmt: skip
def test_pagination_links_are_the_ones_flask_builds_for_each_page(app, query):
    with app.test_request_context(query):
        for anchor in (None, "results"):
            page_url = page_url_builder(anchor)
            for number in (1, 2, 17):
                values = dict(request.args, page=number)
                assert page_url(number) == flask_built(app, "search.results", values, _anchor=anchor)
