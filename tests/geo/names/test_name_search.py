"""Finding clinics and clinicians by name: typos, missing words, accents, titles; nationwide or within a radius."""

import pytest

from provider_dir.extensions import db
from provider_dir.geo.names.lookup import find_names


def names_found(client, **params) -> list[str]:
    reply = client.get("/api/v1/search", query_string=params)
    assert reply.status_code == 200, reply.json
    return [result["name"] for result in reply.json["results"]]


@pytest.mark.parametrize("typed", ["Ascend Infusion Center", "ascend", "ascnd infusion", "ASCEND infusion centre",
                                   "ascend ketamine infusion", "Ascend Infusion Cen"])  # fmt: skip
def test_a_clinic_is_found_by_its_name_spelt_loosely(client, named, typed):
    found = names_found(client, q=typed)
    assert found[0] == "Ascend Infusion Center"


@pytest.mark.parametrize("typed", ["García", "garcia", "dr. garcia", "Dr Maria Garcia", "maria garsia"])
def test_a_clinician_is_found_by_name_with_the_clinic_they_work_at(client, named, typed):
    reply = client.get("/api/v1/search", query_string={"q": typed})
    [first, *_] = reply.json["results"]
    assert (first["name"], first["clinician"]) == ("Harbor Infusion Partners", "María García")


def test_the_search_page_shows_the_clinician_and_the_clinic(client, named):
    page = client.get("/search?q=dr.+garcia").get_data(as_text=True)
    assert "María García works here" in page
    assert "/clinics/harbor-infusion" in page
    assert "anywhere in the US" in page


def test_without_a_place_matches_come_from_anywhere_in_the_country(client, named):
    found = names_found(client, q="infusion")
    assert set(found) == {"Ascend Infusion Center", "Harbor Infusion Partners"}
    reply = client.get("/api/v1/search", query_string={"q": "infusion"}).json
    assert reply["nationwide"] is True and reply["origin"] is None
    assert all(result["distance_mi"] is None for result in reply["results"])


def test_with_a_place_only_matches_within_the_radius_count(client, named):
    reply = client.get("/api/v1/search", query_string={"q": "infusion", "location": "Denver, CO", "radius_mi": 25})
    body = reply.json
    assert [r["name"] for r in body["results"]] == ["Ascend Infusion Center"]
    assert body["total"] == 1 and body["results"][0]["distance_mi"] < 25
    assert names_found(client, q="infusion", location="10001", radius_mi=25) == ["Harbor Infusion Partners"]


def test_hidden_and_closed_for_good_clinics_and_their_staff_are_never_found(client, named):
    assert names_found(client, q="ascend") == ["Ascend Infusion Center"]
    assert names_found(client, q="Hidden Draftperson") == []


def test_filters_still_apply_to_a_name_search(client, named):
    assert names_found(client, q="infusion", max_price=100) == []


def test_a_renamed_clinic_and_a_new_clinician_are_found_at_once(client, named, add_staff):
    named["mile_high"].name = "Rocky Mountain Ketamine"
    add_staff(named["ascend"], full_name="Siobhán O'Connor")
    db.session.flush()
    assert names_found(client, q="rocky mountain") == ["Rocky Mountain Ketamine"]
    assert names_found(client, q="mile high") == []
    assert names_found(client, q="siobhan oconnor") == ["Ascend Infusion Center"]


def test_a_deleted_clinician_is_no_longer_found(client, named):
    db.session.delete(named["garcia"])
    db.session.flush()
    assert [m for m in find_names(db.session, "garcia") if m.staff_name] == []


def test_nothing_like_the_name_finds_nothing_and_says_so(client, named):
    assert names_found(client, q="zzyzx qwrt") == []
    page = client.get("/search?q=zzyzx+qwrt")
    assert page.status_code == 200
    assert "No clinic or clinician matching “zzyzx qwrt” anywhere in the US" in page.get_data(as_text=True)


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({}, 400, "or a clinic or clinician name"),
        ({"q": ""}, 400, "or a clinic or clinician name"),
        ({"q": "x" * 101}, 400, "Keep the name under 100 letters"),
        ({"q": "ascend", "location": "Nowhereville, ZZ"}, 404, "We could not find"),
    ],
)
def test_bad_name_searches_get_a_clear_message(client, named, params, status, message):
    reply = client.get("/api/v1/search", query_string=params)
    assert reply.status_code == status
    assert message in reply.json["error"]["message"]
    page = client.get("/search", query_string={"location": "", **params})
    # The page answers a place it cannot find with 422 and the form to correct it; the API with 404.
    assert page.status_code == (422 if status == 404 else status) and message in page.get_data(as_text=True)


def test_with_a_place_the_matches_nearby_are_found_however_many_match_elsewhere(client, named, create_clinic):
    for n in range(205):  # more than the candidates a look-up reads, all far from Denver
        create_clinic(name=f"Infusion Partners {n}", slug=f"infusion-partners-{n}")
    body = client.get("/api/v1/search", query_string={"q": "infusion", "location": "Denver, CO"}).json
    assert [r["name"] for r in body["results"]] == ["Ascend Infusion Center"]
    nationwide = client.get("/api/v1/search", query_string={"q": "infusion partners", "per_page": 5}).json
    assert nationwide["total_exact"] is False and len(nationwide["results"]) == 5
    assert "More than" in client.get("/search?q=infusion+partners").get_data(as_text=True)


def test_a_name_many_clinics_share_lists_the_same_clinics_in_the_same_order_every_time(client, named, create_clinic):
    # More clinics of one name, at one place, than the candidates a look-up reads: ties go to the earliest listed.
    clinics = [create_clinic(name="Lakeshore Ketamine", slug=f"lakeshore-ketamine-{n}") for n in range(205)]
    db.session.commit()
    earliest = sorted(clinic.slug for clinic in sorted(clinics, key=lambda clinic: clinic.id)[:5])
    pages = [client.get("/api/v1/search", query_string={"q": "lakeshore ketamine", "per_page": 5}).json
             for _ in range(3)]
    assert all(page == pages[0] for page in pages)
    assert sorted(result["slug"] for result in pages[0]["results"]) == earliest
    assert [result["slug"] for result in pages[0]["results"]] == [clinic.slug for clinic in clinics[:5]]
