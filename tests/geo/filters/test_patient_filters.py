"""The filters patients ask for, in the address and the API, each with its count of clinics beside it."""

import pytest
from geopy.distance import geodesic

from provider_dir.extensions import db
from provider_dir.hours.services import set_hours_from_text
from provider_dir.listings.vocab import InsuranceOption

ZIP_10001 = (40.7484, -73.9967)


def spot(miles: float, bearing: float = 0.0) -> dict:
    there = geodesic(miles=miles).destination(ZIP_10001, bearing)
    return {"latitude": there.latitude, "longitude": there.longitude}


@pytest.fixture
def neighbourhood(create_clinic):
    """Five clinics within 5 miles of ZIP 10001, each with a different mix of what patients filter on, and one far."""
    def clinic(name, miles, hours="Mon-Fri 9-5", **facts):
        made = create_clinic(name=name, **spot(miles, 40 * miles), **facts)
        set_hours_from_text(made, hours)
        return made

    clinic("Spanish Evenings", 1, hours="Mon-Thu 10:00-20:00", languages=["English", "Spanish"],
           insurance=InsuranceOption.IN_NETWORK, price_per_infusion_usd=None, telehealth_intake=True)
    clinic("Weekend Therapy", 2, hours="Tue-Sat 9-5", languages=["English"], insurance=InsuranceOption.SUPERBILL,
           price_per_infusion_usd=450, offers_psychotherapy=True, wheelchair_accessible=True)
    clinic("Step Free Spanish", 3, languages=["english", "spanish", "Haitian Creole"],
           insurance=InsuranceOption.NONE, price_per_infusion_usd=500, wheelchair_accessible=True)
    clinic("Second Floor", 4, languages=["English"], insurance=InsuranceOption.NONE, price_per_infusion_usd=None,
           wheelchair_accessible=False)
    clinic("Late Weekends", 5, hours="Sat-Sun 12:00-21:00", languages=["English", "Vietnamese"],
           insurance=InsuranceOption.IN_NETWORK, price_per_infusion_usd=600, offers_psychotherapy=True)
    clinic("Far Away Spanish", 60, languages=["Spanish"], telehealth_intake=True)
    db.session.commit()


def names(client, query: str) -> list[str]:
    reply = client.get(f"/api/v1/search?location=10001&radius_mi=10&{query}")
    assert reply.status_code == 200, reply.json
    return sorted(r["name"] for r in reply.json["results"])


@pytest.mark.parametrize(("query", "expected"), [
    ("language=Spanish", ["Spanish Evenings", "Step Free Spanish"]),
    ("language=Vietnamese", ["Late Weekends"]),
    ("payment=in_network", ["Late Weekends", "Spanish Evenings"]),
    ("payment=superbill", ["Weekend Therapy"]),
    ("payment=self_pay", ["Late Weekends", "Step Free Spanish", "Weekend Therapy"]),
    ("telehealth=1", ["Spanish Evenings"]),
    ("psychotherapy=true", ["Late Weekends", "Weekend Therapy"]),
    ("evenings=1", ["Late Weekends", "Spanish Evenings"]),
    ("weekends=1", ["Late Weekends", "Weekend Therapy"]),
    ("wheelchair=1", ["Step Free Spanish", "Weekend Therapy"]),
    ("weekends=1&psychotherapy=1&payment=self_pay&evenings=1", ["Late Weekends"]),
    ("language=Spanish&wheelchair=0", ["Spanish Evenings", "Step Free Spanish"]),
])  # fmt: skip
def test_each_filter_keeps_only_the_clinics_that_have_it(client, neighbourhood, query, expected):
    assert names(client, query) == expected


def test_the_api_counts_what_each_filter_would_leave(client, neighbourhood):
    counts = client.get("/api/v1/search?location=10001&radius_mi=10").json["filter_counts"]

    assert counts["features"] == {"telehealth": 1, "psychotherapy": 2, "evenings": 2, "weekends": 2, "wheelchair": 2}
    assert counts["payment"] == {"in_network": 2, "superbill": 1, "self_pay": 3}
    assert (counts["language"]["Spanish"], counts["language"]["English"], counts["language"]["Korean"]) == (2, 5, 0)
    assert counts["exact"] is True


def test_counts_keep_the_other_filters_and_a_language_counts_as_if_it_replaced_the_one_chosen(client, neighbourhood):
    counts = client.get("/api/v1/search?location=10001&radius_mi=10&language=Spanish&payment=self_pay").json[
        "filter_counts"]

    assert counts["features"]["wheelchair"] == 1  # Spanish, self-pay price and step-free: one clinic
    assert counts["language"]["Vietnamese"] == 1  # Vietnamese instead of Spanish, still self-pay
    assert counts["payment"]["in_network"] == 1  # in network instead of self-pay, still Spanish


def test_unknown_filter_values_are_refused_with_what_is_allowed(client, neighbourhood):
    reply = client.get("/api/v1/search?location=10001&payment=cash&language=Klingon")

    assert reply.status_code == 400
    assert "payment" in reply.json["error"]["fields"] and "self_pay" in reply.json["error"]["message"]
    assert "language" in reply.json["error"]["fields"]


def test_the_page_keeps_the_filters_in_the_address_and_shows_counts_beside_them(client, neighbourhood):
    page = client.get("/search?location=10001&radius=10&weekends=1&language=Spanish").get_data(as_text=True)

    assert "No clinics within 10 miles match" in page  # weekends and Spanish: none
    assert "Filters (2)" in page
    assert 'name="weekends" type="checkbox" value="1"' in page and "checked" in page
    # Languages counted with weekends kept: no Spanish-speaking clinic opens at weekends, one Vietnamese one does.
    assert ">Spanish (0)</option>" in page and ">Vietnamese (1)</option>" in page
    everything = client.get("/search?location=10001&radius=10").get_data(as_text=True)
    assert "Filters (0)" in everything
    assert 'Open weekends <span class="filter-count">(2<span class="visually-hidden"> clinics</span>)' in everything
    assert ">Spanish (2)</option>" in everything
    assert "Publishes its self-pay price (3)" in everything
    # The same selects on another search (their HTML kept from the last one): this search's own numbers.
    weekends = client.get("/search?location=10001&radius=10&weekends=1").get_data(as_text=True)
    assert ">Spanish (0)</option>" in weekends and ">Vietnamese (1)</option>" in weekends
    assert not any("\ue000" <= character <= "\uf8ff" for character in page + everything + weekends)
