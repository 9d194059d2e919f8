"""/api/v1/suggest: up to eight clinics, clinicians and places, each with a label, a kind and an address."""

import pytest


def suggest(client, typed: str):
    return client.get("/api/v1/suggest", query_string={"q": typed})


def test_a_clinic_prefix_suggests_the_clinic_and_places(client, named):
    reply = suggest(client, "asc")
    assert reply.status_code == 200
    items = reply.json["suggestions"]
    assert items[0] == {"label": "Ascend Infusion Center", "kind": "clinic", "detail": "Denver, CO",
                        "url": "/clinics/ascend-infusion-center"}  # fmt: skip
    assert {item["label"] for item in items}.isdisjoint({"Ascend Wellness Draft", "Ascend Gone For Good"})
    assert 1 <= len(items) <= 8


def test_a_clinician_is_suggested_with_the_clinic_they_work_at(client, named):
    items = suggest(client, "dr garc").json["suggestions"]
    clinician = next(item for item in items if item["kind"] == "clinician")
    assert clinician["label"] == "María García"
    assert clinician["detail"] == "at Harbor Infusion Partners, New York, NY"
    assert clinician["url"] == "/clinics/harbor-infusion"


def test_a_city_prefix_suggests_places_that_lead_to_a_search(client, named):
    items = suggest(client, "Denv").json["suggestions"]
    places = [item for item in items if item["kind"] == "place"]
    assert places[0]["label"] == "Denver, CO"
    assert places[0]["url"] == "/search?location=Denver,+CO"
    assert client.get(places[0]["url"]).status_code == 200


def test_a_zip_prefix_suggests_zip_codes_first(client, named):
    items = suggest(client, "1000").json["suggestions"]
    assert items and all(item["kind"] == "place" and item["label"].startswith("1000") for item in items)
    assert len(items) <= 8


def test_never_more_than_eight(client, create_clinic):
    for n in range(12):
        create_clinic(name=f"Sanctuary Ketamine {n}", slug=f"sanctuary-{n}")
    items = suggest(client, "san").json["suggestions"]
    assert len(items) == 8
    assert {item["kind"] for item in items} == {"clinic", "place"}


def test_a_misspelt_name_is_still_suggested_when_nothing_matches_exactly(client, named):
    labels = [item["label"] for item in suggest(client, "ascnd infusion").json["suggestions"]]
    assert labels[0] == "Ascend Infusion Center"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({}, "Type at least 2 letters"),
        ({"q": "  "}, "Type at least 2 letters"),
        ({"q": "a"}, "Type at least 2 letters"),
        ({"q": "a" * 101}, "Keep q under 100 letters"),
        ({"q": "ascend", "kind": "clinic"}, "Unknown parameter kind"),
    ],
)
def test_bad_input_gets_a_clear_400(client, query, message):
    reply = client.get("/api/v1/suggest", query_string=query)
    assert reply.status_code == 400
    assert message in reply.json["error"]["message"]


def test_suggestions_are_rate_limited_like_the_rest_of_the_api(limited_app):
    limited_app.config["RATELIMIT_SUGGEST"] = "3 per minute"
    client = limited_app.test_client()
    statuses = [client.get("/api/v1/suggest?q=de").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_a_misspelling_of_a_name_just_listed_is_suggested(client, create_clinic):
    """The words misspellings are matched against are the index's own, so a new name counts at once."""
    create_clinic(name="Zephyrine Infusion Studio", slug="zephyrine")
    for n in range(5):
        create_clinic(name=f"Zenith Ketamine {n}", slug=f"zenith-{n}")
    labels = [item["label"] for item in suggest(client, "zephyrne").json["suggestions"]]
    assert labels[0] == "Zephyrine Infusion Studio"
    assert not any(label.startswith("Zenith") for label in labels)


def test_a_last_word_of_one_letter_keeps_the_names_with_a_word_starting_with_it(client, create_clinic):
    create_clinic(name="Plano Mood Annex", slug="plano-mood-annex")
    for n in range(12):
        create_clinic(name=f"Plano Mood Center {n}", slug=f"plano-mood-center-{n}")
    def clinics(typed):
        return [item["label"] for item in suggest(client, typed).json["suggestions"] if item["kind"] == "clinic"]

    assert clinics("plano mood a") == ["Plano Mood Annex"]
    centers = clinics("plano mood c")
    assert len(centers) >= 3 and all(label.startswith("Plano Mood Center") for label in centers)


def test_a_word_typed_as_its_first_letters_still_finds_the_name_when_nothing_matches_exactly(client, create_clinic):
    """"boise mood an" for "Boise Mood & Pain Clinic": no word of the name starts with "an" (the "&" is not a
    word), so the misspelling path runs; one or two letters cannot be respelt, so the other words find the name."""
    create_clinic(name="Boise Mood & Pain Clinic", slug="boise-mood-and-pain-clinic")
    create_clinic(name="Annex A Ana Infusions", slug="annex-a-infusions")  # "a" and "ana" are words of the index
    for typed in ("boise mood a", "boise mood an"):
        labels = [item["label"] for item in suggest(client, typed).json["suggestions"]]
        assert labels[0] == "Boise Mood & Pain Clinic", typed


@pytest.mark.parametrize("typed", ["lumen mind a", "lumen mind an", "lumen mind and", "lumen mind and bo"])
def test_and_typed_for_an_ampersand_finds_the_name_by_its_words(client, create_clinic, typed):
    create_clinic(name="Lumen Mind & Body Infusions", slug="lumen-mind-and-body-infusions")
    create_clinic(name="Lumen Mindful Kids", slug="lumen-mindful-kids")
    labels = [item["label"] for item in suggest(client, typed).json["suggestions"] if item["kind"] == "clinic"]
    assert labels == ["Lumen Mind & Body Infusions"]


def test_the_words_before_the_last_are_whole_words_for_the_quick_look_up(app, client, create_clinic):
    """"el ca": the first names the index holds with a word starting "el" and one starting "ca" ("Elevate Ketamine
    Care") are not what was typed; the quick look-up reads "el" as a whole word, as the suggestions judge it."""
    from provider_dir.extensions import db
    from provider_dir.geo.names.lookup import find_names

    for n in range(12):
        create_clinic(name=f"Elevate Ketamine Care {n}", slug=f"elevate-ketamine-care-{n}")
    create_clinic(name="El Cajon Infusion Therapy", slug="el-cajon-infusion-therapy")
    db.session.commit()
    quick = find_names(db.session, "el ca", 8, fuzzy=False)  # the suggestions' look-up before any misspelling
    assert [match.clinic_name for match in quick] == ["El Cajon Infusion Therapy"]
    labels = [item["label"] for item in suggest(client, "el ca").json["suggestions"] if item["kind"] == "clinic"]
    assert labels == ["El Cajon Infusion Therapy"]
