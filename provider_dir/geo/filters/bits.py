"""The patient filters as one integer per clinic (`search_facets`), so search reads them from its covering index.

One bit per way to pay, yes-or-no feature and listed language (26 bits: a 32-bit INTEGER on both databases). A
search's patient filters become one test, `search_facets & need = need`, and the counts beside the filters are
sums over the index entries the search reads anyway: no trip to the table rows per match, and no text matching
of the languages list per row (that took 5 ms of a 14 ms search page at 100,000 clinics).

The database keeps the column (triggers, as it keeps the search point, for every writer: the ORM, Core bulk
inserts, COPY, raw SQL); bulk writers that build rows themselves may fill it with `facets_of` to skip the
trigger's work, and a test holds the SQL and the Python to the same answer.
"""

from __future__ import annotations

from collections.abc import Iterable

from provider_dir.geo.filters.vocab import LANGUAGES, Feature, Payment
from provider_dir.geo.search_sql import language_pattern
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

SQLITE_CREATE = [
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
SQLITE_DROP = ["DROP TRIGGER IF EXISTS clinic_facets_after_change", "DROP TRIGGER IF EXISTS clinic_facets_after_insert"]

POSTGRESQL_CREATE = [
    f"""CREATE OR REPLACE FUNCTION clinic_facets_fill() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_facets := {facets_sql('NEW')};
        RETURN NEW;
    END
    $$""",
    """CREATE TRIGGER clinic_facets_on_insert BEFORE INSERT ON clinic
    FOR EACH ROW WHEN (NEW.search_facets IS NULL) EXECUTE FUNCTION clinic_facets_fill()""",
    f"""CREATE TRIGGER clinic_facets_on_change BEFORE UPDATE OF {_INPUTS} ON clinic
    FOR EACH ROW EXECUTE FUNCTION clinic_facets_fill()""",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS clinic_facets_on_change ON clinic",
    "DROP TRIGGER IF EXISTS clinic_facets_on_insert ON clinic",
    "DROP FUNCTION IF EXISTS clinic_facets_fill()",
]


def create_statements(dialect: str) -> list[str]:
    """Return the statements that install the facet triggers on this dialect."""
    return {"sqlite": SQLITE_CREATE, "postgresql": POSTGRESQL_CREATE}.get(dialect, [])


def drop_statements(dialect: str) -> list[str]:
    """Return the statements that remove the facet triggers on this dialect."""
    return {"sqlite": SQLITE_DROP, "postgresql": POSTGRESQL_DROP}.get(dialect, [])


def fill_all_sql() -> str:
    """Return the UPDATE that computes every clinic's search_facets (a migration's backfill)."""
    return f"UPDATE clinic SET search_facets = {facets_sql('clinic')}"  # noqa: S608  # nosec B608
