"""/api/v1/search: the JSON shape, its parameters and its errors."""

import math

import pytest
from geopy.distance import geodesic

from provider_dir.listings.vocab import Condition, Route

ZIP_10001 = (40.7484, -73.9967)


def spot(miles: float, bearing: float = 0.0) -> dict:
    there = geodesic(miles=miles).destination(ZIP_10001, bearing)
    return {"latitude": there.latitude, "longitude": there.longitude}


def test_the_answer_has_the_origin_the_results_and_the_paging(client, create_clinic):
    create_clinic(name="Flatiron Ketamine", slug="flatiron-ketamine", score_total=77.5, rating_avg=4.5,
                  rating_bayes=4.4, rating_count=12, routes=[Route.IV, Route.IM],
                  conditions=[Condition.DEPRESSION, Condition.PTSD], price_per_infusion_usd=525,
                  **spot(0.9, 120))  # fmt: skip
    reply = client.get("/api/v1/search?location=10001&radius_mi=10")

    assert reply.status_code == 200 and reply.is_json
    body = reply.json
    assert body["origin"] == {"lat": 40.7484, "lon": -73.9967, "label": "New York, NY 10001", "source": "offline"}
    assert (body["total"], body["total_exact"], body["page"], body["pages"], body["per_page"]) == (1, True, 1, 1, 20)
    assert (body["radius_mi"], body["sort"]) == (10.0, "distance")
    [result] = body["results"]
    assert result["slug"] == "flatiron-ketamine" and result["name"] == "Flatiron Ketamine"
    assert result["url"].endswith("/clinics/flatiron-ketamine")
    expected = geodesic(ZIP_10001, (result["lat"], result["lon"])).miles
    assert math.isclose(result["distance_mi"], expected, rel_tol=0.005)
    ratings = (result["rating_avg"], result["rating_bayes"], result["rating_count"])
    assert result["score"] == 77.5 and ratings == (4.5, 4.4, 12)
    assert result["routes"] == ["iv_infusion", "im_injection"]
    assert result["conditions"] == ["depression", "ptsd"]
    assert result["price_per_infusion_usd"] == 525


def test_radius_in_km_filters_sort_and_per_page(client, create_clinic):
    for i, score in enumerate([60.0, 90.0, 75.0]):
        create_clinic(name=f"Score {score:.0f}", score_total=score, conditions=[Condition.ANXIETY], **spot(1 + i))
    create_clinic(name="No anxiety", score_total=99.0, conditions=[Condition.DEPRESSION], **spot(1))

    body = client.get("/api/v1/search?location=10001&radius_km=16&condition=anxiety&sort=score&per_page=2").json
    assert [r["name"] for r in body["results"]] == ["Score 90", "Score 75"]
    assert (body["total"], body["pages"], body["per_page"]) == (3, 2, 2)
    assert math.isclose(body["radius_mi"], 16 / 1.609344, abs_tol=0.001) and body["radius_km"] == 16.0
    second = client.get("/api/v1/search?location=10001&radius_km=16&condition=anxiety&sort=score&per_page=2&page=2")
    assert [r["name"] for r in second.json["results"]] == ["Score 60"]


def test_boolean_parameters_take_the_usual_spellings(client, create_clinic):
    create_clinic(name="Open", accepting_new_patients=True, **spot(1))
    create_clinic(name="Closed", accepting_new_patients=False, **spot(2))
    both = ["Open", "Closed"]
    for value, expected in [("true", ["Open"]), ("1", ["Open"]), ("false", both), ("0", both), ("no", both)]:
        body = client.get(f"/api/v1/search?location=10001&accepting={value}").json
        assert [r["name"] for r in body["results"]] == expected, value


@pytest.mark.parametrize(
    "query, status, field, message",
    [
        ("", 400, "location", "Enter a 5-digit ZIP code"),
        ("location=Atlantis,+ZZ", 404, "location", "We could not find “Atlantis, ZZ”"),
        ("location=10001&radius_mi=0", 400, "radius_mi", "Choose a radius from 1 to 500 miles"),
        ("location=10001&radius_mi=1000", 400, "radius_mi", "Choose a radius from 1 to 500 miles"),
        ("location=10001&radius_km=1", 400, "radius_km", "Choose a radius from 1 to 500 miles"),
        ("location=10001&radius_mi=10&radius_km=10", 400, "radius_mi", "not both"),
        ("location=10001&radius_mi=inf", 400, "radius_mi", "Enter an ordinary number"),
        ("location=10001&route=teleport", 400, "route", "Unknown route 'teleport'. Choose one of: iv_infusion"),
        ("location=10001&condition=hiccups", 400, "condition", "Unknown condition 'hiccups'"),
        ("location=10001&sort=price", 400, "sort", "Choose one of: distance, score, rating"),
        ("location=10001&max_price=cheap", 400, "max_price", "Not a valid integer value"),
        ("location=10001&min_score=101", 400, "min_score", "The quality score runs from 0 to 100"),
        ("location=10001&per_page=500", 400, "per_page", "Ask for 1 to 100 per page"),
        ("location=10001&page=-1", 400, "page", "The page number must be 1 or more"),
        ("location=10001&conditon=ptsd", 400, "conditon", "Unknown parameter"),
    ],
)
def test_bad_input_gets_a_4xx_with_a_message_that_says_what_to_change(client, query, status, field, message):
    reply = client.get(f"/api/v1/search?{query}")
    assert reply.status_code == status and reply.is_json
    error = reply.json["error"]
    assert error["status"] == status
    assert message in error["message"]
    assert field in error["fields"]


def test_a_page_past_the_last_is_a_404(client, create_clinic):
    create_clinic(**spot(1))
    reply = client.get("/api/v1/search?location=10001&page=2")
    assert reply.status_code == 404
    assert "there is no page 2" in reply.json["error"]["message"]


def test_no_clinics_is_an_empty_list_not_an_error(client):
    body = client.get("/api/v1/search?location=99701&radius_mi=1").json
    assert (body["results"], body["total"], body["pages"]) == ([], 0, 1)
    assert body["origin"]["label"] == "Fairbanks, AK 99701"
