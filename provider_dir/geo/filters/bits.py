"""The patient filters as one integer per clinic (`search_facets`), so search reads them from its covering index.

One bit per way to pay, yes-or-no feature and listed language (26 bits: a 32-bit INTEGER on both databases). A
search's patient filters become one test, `search_facets & need = need`, and the counts beside the filters are
sums over the index entries the search reads anyway: no trip to the table rows per match, and no text matching
of the languages list per row (that took 5 ms of a 14 ms search page at 100,000 clinics).

The database keeps the column (triggers, as it keeps the search point, for every writer: the ORM, Core bulk
inserts, COPY, raw SQL); bulk writers that build rows themselves may fill it with `facets_of` to skip the
trigger's work, and a test holds the SQL and the Python to the same answer.

Beside it, the same bits spread out for counting (`facet_tally_0` to `facet_tally_4`): six bits a column, each in
a field of ten bits of its own, so that one SUM over the matches of a search adds up six counts at once (each up
to 1,023: the counts stop at 1,001). The counts beside the filters were 26 aggregates, one per bit; they are five
sums now (a few more when a language or a way to pay is chosen), about a fifth less of the statement's time on both
databases. The triggers keep the tallies with the bits.
"""

from __future__ import annotations

from collections.abc import Iterable
from math import ceil

from provider_dir.geo.filters.vocab import LANGUAGES, Feature, Payment
from provider_dir.listings.vocab import InsuranceOption

PAYMENT_BITS = {Payment.IN_NETWORK: 1 << 0, Payment.SUPERBILL: 1 << 1, Payment.SELF_PAY: 1 << 2}
FEATURE_BITS = {feature: 1 << (3 + i) for i, feature in enumerate(Feature)}
LANGUAGE_BITS = {name: 1 << (3 + len(FEATURE_BITS) + i) for i, name in enumerate(LANGUAGES)}
_LANGUAGE_BY_KEY = {name.lower(): bit for name, bit in LANGUAGE_BITS.items()}
# The clinic column each yes-or-no feature reads (wheelchair access may be NULL: not stated, not a match).
FEATURE_COLUMNS = {
    Feature.TELEHEALTH: "telehealth_intake",
    Feature.PSYCHOTHERAPY: "offers_psychotherapy",
    Feature.EVENINGS: "open_evenings",
    Feature.WEEKENDS: "open_weekends",
    Feature.WHEELCHAIR: "wheelchair_accessible",
}
INPUT_COLUMNS = ("insurance", "price_per_infusion_usd", "languages", *FEATURE_COLUMNS.values())


FACET_COUNT = len(PAYMENT_BITS) + len(FEATURE_BITS) + len(LANGUAGE_BITS)
TALLY_FIELD_BITS = 10  # each count of a tally may reach 2**10 - 1
PER_TALLY = 6  # fields of a tally column: 60 bits of a signed 64-bit integer
TALLY_COLUMNS = tuple(f"facet_tally_{k}" for k in range(ceil(FACET_COUNT / PER_TALLY)))
TALLY_FIELD = 2**TALLY_FIELD_BITS - 1


def tally_place(bit: int) -> tuple[int, int]:
    """Return (the tally column's index, the field's shift in it) that counts a single facet bit."""
    position = bit.bit_length() - 1
    return position // PER_TALLY, TALLY_FIELD_BITS * (position % PER_TALLY)


def _spread(chunk: int) -> int:
    """Return six bits each moved to the bottom of a field of its own."""
    return sum(1 << TALLY_FIELD_BITS * i for i in range(PER_TALLY) if chunk >> i & 1)


_SPREAD = tuple(_spread(chunk) for chunk in range(2**PER_TALLY))  # the bulk seed spreads 100,000s of clinics
_CHUNK = 2**PER_TALLY - 1


def tallies_of(facets: int | None) -> dict[str, int | None]:
    """Return a clinic's tally columns for its search_facets (as the triggers compute them)."""
    if facets is None:
        return dict.fromkeys(TALLY_COLUMNS)
    return {name: _SPREAD[facets >> PER_TALLY * k & _CHUNK] for k, name in enumerate(TALLY_COLUMNS)}


def tally_sql(facets: str, column: int) -> str:
    """Return the SQL (SQLite and PostgreSQL alike) that computes one tally column from a search_facets value."""
    wide = f"CAST({facets} AS BIGINT)"  # shifted past 31 bits: PostgreSQL's INTEGER would overflow
    first = column * PER_TALLY
    return " + ".join(f"((({wide} >> {position}) & 1) << {TALLY_FIELD_BITS * (position - first)})"
                      for position in range(first, min(first + PER_TALLY, FACET_COUNT)))


def language_pattern(language: str) -> str:
    """Return the LIKE pattern that finds a language in the stored list (lowered JSON text)."""
    return '%"' + language.lower().replace("%", "").replace("_", "").replace('"', "") + '"%'


def known_language(name: str | None) -> bool:
    """Return True when the language has a bit (it is one the filters offer)."""
    return bool(name) and name.lower() in _LANGUAGE_BY_KEY


def need_mask(language: str | None = None, payment: str | None = None, features: Iterable[str] = ()) -> int:
    """Return the bits a clinic must all have to pass these filters (0 when none is chosen)."""
    mask = _LANGUAGE_BY_KEY[language.lower()] if language else 0
    if payment:
        mask |= PAYMENT_BITS[Payment(payment)]
    for feature in features:
        mask |= FEATURE_BITS[Feature(feature)]
    return mask


def facets_of(*, insurance, price_per_infusion_usd, languages, **features) -> int:
    """Return a clinic's search_facets from its column values (as the triggers compute it)."""
    insurance = getattr(insurance, "value", insurance)
    bits = PAYMENT_BITS[Payment.IN_NETWORK] if insurance == InsuranceOption.IN_NETWORK.value else 0
    if insurance == InsuranceOption.SUPERBILL.value:
        bits |= PAYMENT_BITS[Payment.SUPERBILL]
    if price_per_infusion_usd is not None:
        bits |= PAYMENT_BITS[Payment.SELF_PAY]
    for feature, column in FEATURE_COLUMNS.items():
        if features.get(column):
            bits |= FEATURE_BITS[feature]
    for language in languages or ():
        bits |= _LANGUAGE_BY_KEY.get(str(language).lower(), 0)
    return bits


def facets_sql(row: str) -> str:
    """Return the SQL (SQLite and PostgreSQL alike) that computes search_facets from a row, e.g. 'NEW'."""
    in_network, superbill = InsuranceOption.IN_NETWORK.value, InsuranceOption.SUPERBILL.value
    terms = [
        f"(CASE WHEN {row}.insurance = '{in_network}' THEN {PAYMENT_BITS[Payment.IN_NETWORK]} ELSE 0 END)",
        f"(CASE WHEN {row}.insurance = '{superbill}' THEN {PAYMENT_BITS[Payment.SUPERBILL]} ELSE 0 END)",
        f"(CASE WHEN {row}.price_per_infusion_usd IS NOT NULL THEN {PAYMENT_BITS[Payment.SELF_PAY]} ELSE 0 END)",
        *(f"(CASE WHEN {row}.{column} THEN {FEATURE_BITS[feature]} ELSE 0 END)"
          for feature, column in FEATURE_COLUMNS.items()),
    ]
    # The stored JSON list as lowered text holds '"spanish"' exactly when the list holds the language (the quotes
    # stop "english" matching "english (asl)"), as the search's own language test did.
    languages = f"lower(CAST({row}.languages AS TEXT))"
    terms += [f"(CASE WHEN {languages} LIKE '{language_pattern(name)}' THEN {bit} ELSE 0 END)"
              for name, bit in LANGUAGE_BITS.items()]
    return " + ".join(terms)


_INPUTS = ", ".join(INPUT_COLUMNS)


def _tallies_from(facets: str) -> list[tuple[str, str]]:
    """Return (tally column, its SQL from this search_facets value) for every tally column."""
    return [(name, tally_sql(facets, k)) for k, name in enumerate(TALLY_COLUMNS)]


_SET_TALLIES = ", ".join(f"{name} = {sql}" for name, sql in _tallies_from("NEW.search_facets"))
_PG_TALLIES = "\n        ".join(f"NEW.{name} := {sql};" for name, sql in _tallies_from("NEW.search_facets"))

# Before the tallies (migration f1b3d5a7c9e2 installs these; later ones replace them).
SQLITE_CREATE_BITS = [
    # Writers that leave the column empty (the ORM, Core inserts, raw SQL) get it filled here.
    f"""CREATE TRIGGER clinic_facets_after_insert AFTER INSERT ON clinic WHEN NEW.search_facets IS NULL
    BEGIN
        UPDATE clinic SET search_facets = {facets_sql('NEW')} WHERE id = NEW.id;
    END""",  # noqa: S608  # nosec B608 # DDL from constants and column names, no input
    f"""CREATE TRIGGER clinic_facets_after_change AFTER UPDATE OF {_INPUTS} ON clinic
    BEGIN
        UPDATE clinic SET search_facets = {facets_sql('NEW')} WHERE id = NEW.id;
    END""",  # noqa: S608  # nosec B608 # DDL from constants and column names, no input
]
SQLITE_CREATE = [
    *SQLITE_CREATE_BITS,
    # Whoever sets the bits (the triggers above, a backfill) gets the tallies set from them; a writer that gives
    # the bits but not the tallies (an older bulk writer) too. The bulk seed gives both (tallies_of).
    f"""CREATE TRIGGER clinic_tallies_after_facets AFTER UPDATE OF search_facets ON clinic
    BEGIN
        UPDATE clinic SET {_SET_TALLIES} WHERE id = NEW.id;
    END""",  # noqa: S608  # nosec B608 # DDL from constants and column names, no input
    f"""CREATE TRIGGER clinic_tallies_after_insert AFTER INSERT ON clinic
    WHEN NEW.search_facets IS NOT NULL AND NEW.{TALLY_COLUMNS[0]} IS NULL
    BEGIN
        UPDATE clinic SET {_SET_TALLIES} WHERE id = NEW.id;
    END""",  # noqa: S608  # nosec B608 # DDL from constants and column names, no input
]
SQLITE_DROP = [f"DROP TRIGGER IF EXISTS {name}" for name in (
    "clinic_tallies_after_insert", "clinic_tallies_after_facets", "clinic_facets_after_change",
    "clinic_facets_after_insert")]


def _postgresql_create(tallies: bool) -> list[str]:
    tally_lines = _PG_TALLIES if tallies else ""
    insert_when = "NEW.search_facets IS NULL" + (f" OR NEW.{TALLY_COLUMNS[0]} IS NULL" if tallies else "")
    changed = f"{_INPUTS}, search_facets" if tallies else _INPUTS
    return [
        f"""CREATE OR REPLACE FUNCTION clinic_facets_fill() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_facets := {facets_sql('NEW')};
        {tally_lines}
        RETURN NEW;
    END
    $$""",
        f"""CREATE TRIGGER clinic_facets_on_insert BEFORE INSERT ON clinic
    FOR EACH ROW WHEN ({insert_when}) EXECUTE FUNCTION clinic_facets_fill()""",
        f"""CREATE TRIGGER clinic_facets_on_change BEFORE UPDATE OF {changed} ON clinic
    FOR EACH ROW EXECUTE FUNCTION clinic_facets_fill()""",
    ]


POSTGRESQL_CREATE = _postgresql_create(tallies=True)
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS clinic_facets_on_change ON clinic",
    "DROP TRIGGER IF EXISTS clinic_facets_on_insert ON clinic",
    "DROP FUNCTION IF EXISTS clinic_facets_fill()",
]


def create_statements(dialect: str, tallies: bool = True) -> list[str]:
    """Return the statements that install the facet triggers on this dialect (without tallies: as first made)."""
    if not tallies:
        return {"sqlite": SQLITE_CREATE_BITS, "postgresql": _postgresql_create(tallies=False)}.get(dialect, [])
    return {"sqlite": SQLITE_CREATE, "postgresql": POSTGRESQL_CREATE}.get(dialect, [])


def drop_statements(dialect: str) -> list[str]:
    """Return the statements that remove the facet triggers on this dialect."""
    return {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}.get(dialect, [])


def fill_all_sql() -> str:
    """Return the UPDATE that computes every clinic's search_facets (a migration's backfill)."""
    return f"UPDATE clinic SET search_facets = {facets_sql('clinic')}"  # noqa: S608  # nosec B608


def fill_all_tallies_sql() -> str:
    """Return the UPDATE that computes every clinic's tallies from its search_facets (a migration's backfill)."""
    tallies = ", ".join(f"{name} = {sql}" for name, sql in _tallies_from("search_facets"))
    return f"UPDATE clinic SET {tallies}"  # noqa: S608  # nosec B608 # constants and column names
