"""One clinic as HSDS objects: strictly valid by the standard's schemas, with stable ids and weekly schedules."""

from datetime import date, datetime
from types import SimpleNamespace

from provider_dir.listings.vocab import Closure, Condition, InsuranceOption, Route
from provider_dir.models.base import to_mask
from provider_dir.opendata.hsds import mapping, schemas


def clinic(**changes) -> SimpleNamespace:
    values = dict(
        id=7, name="Harbor Ketamine", description="A clinic.", street="1 Main St, Suite 2", city="Boston",
        state="MA", zip_code="02110", latitude=42.35, longitude=-71.05, phone="(617) 555-0100",
        website="https://harbor.example", hours="By appointment",
        opening_hours=[{"day": d, "opens": "09:00", "closes": "17:00"} for d in range(5)]
        + [{"day": 3, "opens": "18:00", "closes": "24:00"}, {"day": 5, "opens": "10:00", "closes": "14:00"}],
        routes_mask=to_mask([Route.IV, Route.ESKETAMINE], Route),
        conditions_mask=to_mask([Condition.DEPRESSION, Condition.CRPS], Condition),
        price_per_infusion_usd=450, price_series_usd=2400, series_infusions=6, insurance=InsuranceOption.SUPERBILL,
        languages=["English", "Portuguese", "Klingon"], accessibility="Step-free entrance.",
        accepting_new_patients=True, telehealth_intake=False, closure=Closure.TEMPORARY, reopens_on=date(2027, 1, 5),
        last_verified_on=date(2026, 11, 2), updated_at=datetime(2026, 11, 3, 12, 0),
    )
    values.update(changes)
    return SimpleNamespace(**values)


STAFF = [SimpleNamespace(id=3, full_name="Ana Lima", degree="MD", role=SimpleNamespace(label="Medical director"))]


def test_every_object_is_strictly_valid_by_its_schema():
    record = clinic()
    assert schemas.errors("compiled/service_with_definitions", mapping.service_object(record, STAFF)) == []
    for table, rows in mapping.tables(record, STAFF).items():
        assert rows, table
        for row in rows:
            assert schemas.errors(table, row) == [], table
    for taxonomy in mapping.taxonomies():
        assert schemas.errors("taxonomy", taxonomy) == []
    for term in mapping.taxonomy_terms():
        assert schemas.errors("taxonomy_term", term) == []


def test_strict_schemas_refuse_a_property_the_standard_lacks():
    service = mapping.service_object(clinic())
    service["phones"][0]["fax"] = "no"
    assert any("'fax' was unexpected" in e for e in schemas.errors("compiled/service_with_definitions", service))


def test_ids_are_stable_and_distinct_per_clinic():
    first, again, other = mapping.service_object(clinic()), mapping.service_object(clinic()), \
        mapping.service_object(clinic(id=8))
    assert first == again
    assert first["id"] != other["id"] and first["organization"]["id"] != other["organization"]["id"]


def test_hours_become_weekly_schedules_grouped_by_period():
    found = {(s["byday"], s["opens_at"], s["closes_at"]) for s in mapping.schedules(clinic())}
    assert found == {("MO,TU,WE,TH,FR", "09:00:00", "17:00:00"), ("TH", "18:00:00", "23:59:59"),
                     ("SA", "10:00:00", "14:00:00")}
    assert all(s["notes"] == "By appointment" and s["freq"] == "WEEKLY" for s in mapping.schedules(clinic()))
    weekdays = next(s for s in mapping.schedules(clinic()) if s["byday"].startswith("MO"))
    assert weekdays["description"] == "Mon-Fri 09:00-17:00"


def test_a_note_without_periods_is_one_schedule():
    (only,) = mapping.schedules(clinic(opening_hours=[]))
    assert only["description"] == "By appointment" and "byday" not in only
    assert mapping.schedules(clinic(opening_hours=[], hours="")) == []


def test_routes_and_conditions_link_to_published_terms():
    service = mapping.service_object(clinic())
    codes = [(a["link_type"], a["taxonomy_term"]["code"]) for a in service["attributes"]]
    assert codes == [("route", "iv_infusion"), ("route", "esketamine_nasal"), ("condition", "depression"),
                     ("condition", "crps")]
    term_ids = {t["id"] for t in mapping.taxonomy_terms()}
    assert all(a["taxonomy_term"]["id"] in term_ids for a in service["attributes"])


def test_status_prices_languages_and_staff():
    service = mapping.service_object(clinic(), STAFF)
    assert service["status"] == "temporarily closed" and "2027-01-05" in service["alert"]
    assert [(c["option"], c["amount"]) for c in service["cost_options"]] == [("Per infusion", 450),
                                                                            ("Series of 6 infusions", 2400)]
    assert [(lang["name"], lang.get("code")) for lang in service["languages"]] == [
        ("English", "en"), ("Portuguese", "pt"), ("Klingon", None)]
    assert service["contacts"][0]["title"] == "Medical director, MD"
    assert mapping.service(clinic(closure=Closure.PERMANENT))["status"] == "defunct"
