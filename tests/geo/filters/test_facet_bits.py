"""The patient filters as bits: the database keeps them for every writer, and the counts read only the index."""

import itertools

import pytest
from sqlalchemy import event, insert, select

from provider_dir.extensions import db
from provider_dir.geo.filters.bits import (
    FEATURE_BITS,
    LANGUAGE_BITS,
    PAYMENT_BITS,
    TALLY_COLUMNS,
    facets_of,
    need_mask,
    tallies_of,
)
from provider_dir.geo.filters.counts import filter_counts
from provider_dir.geo.filters.vocab import LANGUAGES, Feature, Payment
from provider_dir.geo.search import COUNT_CAP, SearchQuery
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import InsuranceOption

CASES = [
    dict(insurance=InsuranceOption.IN_NETWORK, price_per_infusion_usd=None, languages=["English", "Spanish"],
         telehealth_intake=True, offers_psychotherapy=False, open_evenings=True, open_weekends=False,
         wheelchair_accessible=None),
    dict(insurance=InsuranceOption.SUPERBILL, price_per_infusion_usd=450, languages=["english", "haitian creole"],
         telehealth_intake=False, offers_psychotherapy=True, open_evenings=False, open_weekends=True,
         wheelchair_accessible=True),
    dict(insurance=InsuranceOption.NONE, price_per_infusion_usd=500, languages=["English (ASL)", "Klingon"],
         telehealth_intake=False, offers_psychotherapy=False, open_evenings=False, open_weekends=False,
         wheelchair_accessible=False),
]  # fmt: skip


def stored(clinic: Clinic) -> int:
    """Return the clinic's bits as stored, after checking that its tallies are the ones its bits give."""
    row = db.session.execute(select(Clinic.search_facets, *(getattr(Clinic, name) for name in TALLY_COLUMNS))
                             .where(Clinic.id == clinic.id)).one()
    assert dict(zip(TALLY_COLUMNS, row[1:], strict=True)) == tallies_of(row[0])
    return row[0]


def test_the_bits_fit_a_32_bit_integer_and_never_overlap():
    every = [*PAYMENT_BITS.values(), *FEATURE_BITS.values(), *LANGUAGE_BITS.values()]
    assert len(set(every)) == len(every) and max(every) < 2**31
    assert sum(every) == 2 ** len(every) - 1


@pytest.mark.parametrize("facts", CASES)
def test_the_database_computes_what_python_computes(create_clinic, facts):
    clinic = create_clinic(**facts)
    db.session.flush()
    assert stored(clinic) == facets_of(**facts)


def test_a_clinic_with_spanish_in_network_and_evenings_has_exactly_those_bits(create_clinic):
    clinic = create_clinic(**CASES[0])
    expected = need_mask("Spanish", Payment.IN_NETWORK) | need_mask("English") | need_mask(
        features=[Feature.TELEHEALTH, Feature.EVENINGS])
    assert stored(clinic) == expected
    # "English (ASL)" is not "English": the quotes of the stored list keep them apart.
    assert stored(create_clinic(**CASES[2])) & LANGUAGE_BITS["English"] == 0


def test_every_change_to_a_filtered_fact_moves_the_bits(create_clinic):
    clinic = create_clinic(**CASES[2])
    for column, value in [("languages", ["English", "Vietnamese"]), ("insurance", InsuranceOption.SUPERBILL),
                          ("price_per_infusion_usd", None), ("telehealth_intake", True),
                          ("offers_psychotherapy", True), ("open_evenings", True), ("open_weekends", True),
                          ("wheelchair_accessible", True)]:  # fmt: skip
        setattr(clinic, column, value)
        db.session.flush()
        facts = {key: getattr(clinic, key) for key in CASES[0]}
        assert stored(clinic) == facets_of(**facts), column


def test_a_bulk_insert_without_the_column_gets_it_filled(app):
    row = dict(slug="bulk-one", name="Bulk One", street="1 Main St", city="New York", state="NY", zip_code="10001",
               latitude=40.75, longitude=-73.99, **CASES[1])
    db.session.execute(insert(Clinic), [row])
    clinic = db.session.scalar(select(Clinic).where(Clinic.slug == "bulk-one"))
    assert stored(clinic) == facets_of(**CASES[1])


def test_the_tallies_hold_each_bit_in_a_field_of_its_own():
    every = need_mask(payment="in_network") | need_mask(features=list(Feature)) | sum(LANGUAGE_BITS.values())
    tallies = tallies_of(every)
    assert sum(value.bit_count() for value in tallies.values()) == every.bit_count() == 24
    for bit in (need_mask(payment="superbill"), need_mask(payment="self_pay")):
        assert tallies_of(every | bit) != tallies, bit  # a bit of its own, not one already counted
    assert all(value < 2**63 for value in tallies.values())
    assert tallies_of(None) == dict.fromkeys(TALLY_COLUMNS)


def test_a_writer_that_gives_the_bits_but_not_the_tallies_gets_them_filled(app):
    row = dict(slug="bulk-two", name="Bulk Two", street="1 Main St", city="New York", state="NY", zip_code="10001",
               latitude=40.75, longitude=-73.99, search_facets=facets_of(**CASES[0]), **CASES[0])
    db.session.execute(insert(Clinic), [row])
    clinic = db.session.scalar(select(Clinic).where(Clinic.slug == "bulk-two"))
    assert stored(clinic) == facets_of(**CASES[0])


def test_counts_up_to_the_cap_stay_in_their_own_fields(app):
    """1,200 clinics in the circle, every one in network and speaking every language: each count that has them all
    stops at the cap's 1,001 without spilling into its neighbour, and each that has none is 0."""
    rows = [dict(slug=f"every-{i}", name=f"Every {i}", street="1 Main St", city="New York", state="NY",
                 zip_code="10001", latitude=40.75 + (i % 40) * 0.0005, longitude=-73.99 + (i // 40) * 0.0005,
                 status="published", languages=list(LANGUAGES), insurance=InsuranceOption.IN_NETWORK,
                 price_per_infusion_usd=None, telehealth_intake=True, offers_psychotherapy=False,
                 open_evenings=True, open_weekends=False, wheelchair_accessible=True) for i in range(1200)]
    db.session.execute(insert(Clinic), rows)
    counts = filter_counts(db.session, SearchQuery(latitude=40.755, longitude=-73.98, radius_miles=5))
    full = COUNT_CAP + 1
    assert not counts.exact and counts.total == full
    assert counts.payments == {"in_network": full, "superbill": 0, "self_pay": 0}
    assert counts.features == {"telehealth": full, "psychotherapy": 0, "evenings": full, "weekends": 0,
                               "wheelchair": full}
    assert counts.languages == dict.fromkeys(LANGUAGES, full)
    chosen = filter_counts(db.session, SearchQuery(latitude=40.755, longitude=-73.98, radius_miles=5,
                                                   language="Spanish", payment="superbill"))
    assert chosen.payments == {"in_network": full, "superbill": 0, "self_pay": 0}
    assert set(chosen.features.values()) == {0} and set(chosen.languages.values()) == {0}


def test_the_counts_match_a_count_made_the_slow_way(create_clinic):
    """Every combination of a few facts around one place: each count equals the clinics that really have it."""
    made = []
    for i, (insurance, evenings, spanish) in enumerate(itertools.product(InsuranceOption, (True, False),
                                                                          (True, False))):
        made.append(create_clinic(insurance=insurance, open_evenings=evenings, price_per_infusion_usd=None,
                                  languages=["English", "Spanish"] if spanish else ["English"],
                                  latitude=40.7506 + i * 0.001, longitude=-73.9972))
    db.session.flush()
    query = SearchQuery(latitude=40.7506, longitude=-73.9972, radius_miles=5, payment="in_network")
    counts = filter_counts(db.session, query)
    in_network = [c for c in made if c.insurance is InsuranceOption.IN_NETWORK]
    assert counts.features["evenings"] == sum(c.open_evenings for c in in_network)
    assert counts.languages["Spanish"] == sum("Spanish" in c.languages for c in in_network)
    assert counts.payments["superbill"] == sum(c.insurance is InsuranceOption.SUPERBILL for c in made)
    assert counts.payments["self_pay"] == 0


def test_the_counts_read_the_search_index_and_never_the_rows(app, create_clinic):
    """SQLite's plan of the counts statement: the covering index only (a look-up per match made it 5 ms)."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("reads SQLite's EXPLAIN QUERY PLAN")
    plans: list[str] = []

    def explain(conn, cursor, statement, parameters, context, executemany):
        if "facet_tally_0" in statement:
            rows = cursor.connection.execute(f"EXPLAIN QUERY PLAN {statement}", parameters).fetchall()
            plans.extend(row[-1] for row in rows)

    create_clinic(**CASES[0])
    event.listen(db.engine, "before_cursor_execute", explain)
    try:
        filter_counts(db.session, SearchQuery(latitude=40.7506, longitude=-73.9972, radius_miles=25))
    finally:
        event.remove(db.engine, "before_cursor_execute", explain)
    reads = [p for p in plans if p.startswith(("SCAN clinic", "SEARCH clinic"))]
    assert reads and all("COVERING INDEX ix_clinic_geo_search" in p for p in reads), plans
