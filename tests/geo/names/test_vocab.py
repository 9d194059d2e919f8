"""PostgreSQL's list of the names' words (ddl.name_search_vocab): current after every kind of write, and what the
suggestions read a typed prefix or a misspelt word as."""

from datetime import date

import pytest
from sqlalchemy import func, select, text

from provider_dir.credentials.models import StaffMember
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.seeding import synthetic


@pytest.fixture
def pg(app):
    """The app on PostgreSQL: SQLite reads its word list from the FTS5 index itself (fts5vocab)."""
    with app.app_context():
        if db.session.get_bind().dialect.name != "postgresql":
            pytest.skip("the word list is PostgreSQL's")
    return app


def listed(*words: str) -> set[str]:
    """Which of these words the word list holds."""
    found = db.session.execute(text("SELECT word FROM name_search_vocab WHERE word = ANY(:words)"),
                               {"words": list(words)})
    return set(found.scalars())


def suggested(client, typed: str) -> list[str]:
    reply = client.get("/api/v1/suggest", query_string={"q": typed})
    return [item["label"] for item in reply.json["suggestions"] if item["kind"] in ("clinic", "clinician")]


def test_the_words_of_a_new_clinic_and_clinician_are_listed_at_once(pg, create_clinic, add_staff):
    clinic = create_clinic(name="Quillback Ketamine Ćlinic")
    add_staff(clinic, full_name="Zebulon Ostrowski-Vane")
    assert listed("quillback", "ketamine", "clinic", "zebulon", "ostrowski", "vane") == {
        "quillback", "ketamine", "clinic", "zebulon", "ostrowski", "vane"}


def test_a_renamed_clinic_and_clinician_have_their_new_words_listed(pg, create_clinic, add_staff):
    clinic = create_clinic(name="Plain Name Infusions")
    member = add_staff(clinic, full_name="Ann Lee")
    clinic.name = "Marbleridge Infusions"
    member.full_name = "Ann Thistlewood"
    db.session.flush()
    assert listed("marbleridge", "thistlewood") == {"marbleridge", "thistlewood"}


def test_a_seed_by_copy_lists_every_word_of_its_names(pg):
    synthetic.add_synthetic_clinics(db.session, 40, 31, today=date(2026, 11, 1), workers=0)
    names = [*db.session.scalars(select(Clinic.name)), *db.session.scalars(select(StaffMember.full_name))]
    words = {word for name in names for word in db.session.scalar(
        select(func.tsvector_to_array(func.to_tsvector(text("'simple'"), func.name_search_fold(name)))))}
    assert len(names) >= 40 and words <= listed(*words)


def test_a_typed_last_word_is_read_as_the_words_it_starts(pg, client, create_clinic):
    create_clinic(name="Sitka Ketamine Clinic", slug="sitka-ketamine")
    create_clinic(name="Sitka Kettle Wellness", slug="sitka-kettle")
    create_clinic(name="Juneau Ketamine Clinic", slug="juneau-ketamine")
    assert sorted(suggested(client, "sitka ket")) == ["Sitka Ketamine Clinic", "Sitka Kettle Wellness"]
    assert suggested(client, "sitka ketam") == ["Sitka Ketamine Clinic"]
    assert suggested(client, "sitka kez") == []


def test_names_with_punctuation_in_their_words_are_still_found(pg, client, create_clinic):
    """A name's "mind-body" and "help@ketamine.org" are listed as they are beside their parts; only words of
    letters and digits are put in a query, so none of them reads as query syntax."""
    create_clinic(name="Sitka Mind-Body Ketamine", slug="sitka-mind-body")
    create_clinic(name="Sitka help@ketamine.org Care", slug="sitka-help")
    create_clinic(name="Sitka O'Malley & (Partners) | Infusions", slug="sitka-omalley")
    assert suggested(client, "sitka mi") == ["Sitka Mind-Body Ketamine"]
    assert suggested(client, "sitka hel") == ["Sitka help@ketamine.org Care"]
    assert suggested(client, "sitka partn") == ["Sitka O'Malley & (Partners) | Infusions"]


def test_a_misspelt_name_is_respelt_from_the_listed_words(pg, client, create_clinic):
    """The misspelling path reads the listed words that start as the typed word does, as SQLite's does."""
    create_clinic(name="Sitka Quillback Infusions", slug="sitka-quillback")
    assert suggested(client, "sitka quilbak") == ["Sitka Quillback Infusions"]
    assert suggested(client, "sitka quilbak infusoins") == ["Sitka Quillback Infusions"]


def test_a_prefix_is_read_as_its_words_unless_one_is_more_than_letters_and_digits(pg, create_clinic):
    """'zorbel' -> its two words; 'inglewood-finn' counts through its parts, which are words of their own; a prefix
    that starts 'quaffle/zint' (a path to the parser, with no parts: or, without unaccent, an accented word) stays a
    prefix, which matches such words as the index holds them; a prefix no word starts finds nothing to look up."""
    from provider_dir.geo.names.lookup import _pg_prefix_term

    create_clinic(name="Zorbelle Zorbeline Infusions")
    create_clinic(name="Quaffle/Zint Ketamine")
    create_clinic(name="Inglewoodz-Finnick Clinic")
    assert _pg_prefix_term(db.session, "zorbel") == "(zorbeline | zorbelle)"
    assert _pg_prefix_term(db.session, "inglewoodz") == "(inglewoodz)"
    assert _pg_prefix_term(db.session, "quaff") == "quaff:*"
    assert _pg_prefix_term(db.session, "zzqx") is None
