"""An imported listing says where it came from until claimed; outside ratings stand apart from our reviews."""

from __future__ import annotations

from datetime import date, timedelta

from provider_dir.extensions import db
from tests.imports.conftest import clinic_named, row

SLUG = "calm-mind-ketamine-clinic-denver-co"


def _import(write_csv, import_file, **extra):
    result = import_file(write_csv([row(source_url="https://registry.example/r1", **extra)]),
                         "--source", "Colorado registry")
    assert "created 1" in result.output, result.output
    return clinic_named("Calm Mind Ketamine Clinic")


def test_the_page_says_the_listing_is_compiled_and_unconfirmed_with_the_claim_link(app, client, write_csv,
                                                                                    import_file):
    _import(write_csv, import_file)

    page = client.get(f"/clinics/{SLUG}").get_data(as_text=True)

    today = date.today()
    assert (f"Compiled from public sources on <time datetime=\"{today.isoformat()}\">") in page
    assert "not yet confirmed by the clinic." in page
    assert '<a href="https://registry.example/r1" rel="nofollow noopener">Colorado registry</a>' in page
    assert f"/claim/{SLUG}\">Is this your clinic? Claim it</a>" in page


def test_the_api_carries_the_same_facts(app, client, write_csv, import_file):
    _import(write_csv, import_file)

    body = client.get(f"/api/v1/clinics/{SLUG}").get_json()

    today = date.today().isoformat()
    assert body["provenance"] == {
        "source": "Colorado registry", "source_url": "https://registry.example/r1", "source_id": "r1",
        "imported_on": today, "last_imported_on": today, "confirmed_by_clinic": False,
        "statement": f"Compiled from public sources on {today}, not yet confirmed by the clinic.",
    }


def test_once_claimed_the_notice_goes_and_the_api_says_confirmed(app, client, write_csv, import_file, make_owner):
    clinic = _import(write_csv, import_file)
    make_owner(clinic)
    db.session.commit()

    page = client.get(f"/clinics/{SLUG}").get_data(as_text=True)
    body = client.get(f"/api/v1/clinics/{SLUG}").get_json()

    assert "not yet confirmed by the clinic" not in page and "Is this your clinic?" not in page
    assert body["provenance"]["confirmed_by_clinic"] is True and body["provenance"]["statement"] is None


def test_a_listing_made_by_its_owner_has_no_provenance(app, client, create_clinic):
    clinic = create_clinic()

    assert client.get(f"/api/v1/clinics/{clinic.slug}").get_json()["provenance"] is None
    assert "Compiled from public sources" not in client.get(f"/clinics/{clinic.slug}").get_data(as_text=True)


def test_an_outside_rating_is_shown_apart_labelled_and_never_in_our_average(app, client, write_csv, import_file):
    recent = (date.today() - timedelta(days=30)).isoformat()
    clinic = _import(write_csv, import_file, rating_source="Google", rating="4.6", rating_count="87",
                     rating_url="https://maps.example/r1", rating_date=recent)

    page = client.get(f"/clinics/{SLUG}").get_data(as_text=True)
    body = client.get(f"/api/v1/clinics/{SLUG}").get_json()

    assert "Ratings on other sites" in page and "Not checked by us" in page
    assert "<strong>Google</strong>: 4.6 / 5 from 87 ratings" in page
    assert 'width="92.0"' in page  # the bar: 4.6 of 5 stars
    assert page.index("Ratings on other sites") > page.index('id="reviews"')
    assert "No reviews yet" in page  # our own rating is untouched
    assert clinic.rating_avg is None and clinic.rating_count == 0
    assert body["rating"] == {"average": None, "bayesian": None, "count": 0}
    assert body["outside_ratings"] == [{"site": "Google", "stars": 4.6, "count": 87,
                                        "url": "https://maps.example/r1", "rated_on": recent}]


def test_each_site_has_its_own_line_and_a_rating_older_than_a_year_is_hidden(app, client, write_csv,
                                                                               import_file):
    old = (date.today() - timedelta(days=400)).isoformat()
    recent = (date.today() - timedelta(days=10)).isoformat()
    _import(write_csv, import_file, rating_source="Yelp", rating="3.5", rating_date=recent)
    for site, stars, when in (("Google", "4", recent), ("Bing", "2", old), ("Google", "4.2", recent)):
        again = import_file(write_csv([row(source_url="https://registry.example/r1", rating_source=site,
                                                   rating=stars, rating_date=when)]), "--source", "Colorado registry")
        assert "created 0, updated 1" in again.output

    body = client.get(f"/api/v1/clinics/{SLUG}").get_json()
    page = client.get(f"/clinics/{SLUG}").get_data(as_text=True)

    assert [(r["site"], r["stars"]) for r in body["outside_ratings"]] == [("Google", 4.2), ("Yelp", 3.5)]
    assert page.count('class="outside-rating"') == 2
    assert "Bing" not in page
