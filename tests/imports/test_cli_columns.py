"""`flask import clinics` with a CSV file: every column lands where it should, with its provenance."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from provider_dir.extensions import db
from provider_dir.imports.models import ImportRun, ListingSource, OutsideRating
from provider_dir.listings.vocab import ClinicStatus, Condition, InsuranceOption, Route
from provider_dir.moderation.models import ModerationLog
from provider_dir.scoring.models import ChecklistAnswer
from tests.imports.conftest import clinic_count, clinic_named, row

EVERY_COLUMN = row(
    phone="(303) 555-0101", website="https://calmmind.example/", routes="iv_infusion; esketamine_nasal",
    conditions="depression;ptsd;crps", price_per_infusion="$450", price_per_series="2,400", insurance="superbill",
    languages="English;Spanish", accepting_new_patients="no", hours="Mon-Fri 9-5",
    description="Infusions with monitoring.", source_url="https://registry.example/clinics/r1",
    rating_source="Google", rating="4.6", rating_count="87", rating_url="https://maps.example/r1",
    rating_date="2026-10-01", fax="303 555 0199",
)


def test_every_required_and_optional_column_is_stored(app, write_csv, import_file):
    result = import_file(write_csv([EVERY_COLUMN]), "--source", "State registry")

    assert result.exit_code == 0, result.output
    assert "Ignored unknown columns: fax" in result.output
    assert result.output.strip().endswith("created 1, updated 0, unchanged 0, refused 0, duplicates 0")
    clinic = clinic_named("Calm Mind Ketamine Clinic")
    assert (clinic.street, clinic.city, clinic.state, clinic.zip_code) == ("100 Main St", "Denver", "CO", "80202")
    assert clinic.phone == "(303) 555-0101" and clinic.website == "https://calmmind.example/"
    assert clinic.routes == [Route.IV, Route.ESKETAMINE]
    assert clinic.conditions == [Condition.DEPRESSION, Condition.PTSD, Condition.CRPS]
    assert (clinic.price_per_infusion_usd, clinic.price_series_usd) == (450, 2400)
    assert clinic.insurance is InsuranceOption.SUPERBILL
    assert clinic.languages == ["English", "Spanish"]
    assert clinic.accepting_new_patients is False
    # Hours are read as opening periods, as an owner's form save reads them.
    assert clinic.opening_hours == [{"day": d, "opens": "09:00", "closes": "17:00"} for d in range(5)]
    assert clinic.hours == "" and clinic.description == "Infusions with monitoring."
    assert clinic.status is ClinicStatus.PUBLISHED
    assert abs(clinic.latitude - 39.75) < 0.05 and abs(clinic.longitude + 104.99) < 0.05
    assert clinic.geo_cell is not None
    source = db.session.scalar(select(ListingSource).where(ListingSource.clinic_id == clinic.id))
    assert (source.source, source.source_id, source.source_url) == (
        "State registry", "r1", "https://registry.example/clinics/r1")
    assert source.imported_on == date.today()
    rating = db.session.scalar(select(OutsideRating).where(OutsideRating.clinic_id == clinic.id))
    assert (rating.site, rating.stars, rating.rating_count, rating.url, rating.rated_on) == (
        "Google", 4.6, 87, "https://maps.example/r1", date(2026, 10, 1))
    # The checklist starts unknown: an import never answers an item.
    assert db.session.scalars(select(ChecklistAnswer).where(ChecklistAnswer.clinic_id == clinic.id)).all() == []
    assert clinic.score_total is None


def test_only_required_columns_give_a_listing_with_defaults(app, write_csv, import_file):
    result = import_file(write_csv([row()]))

    assert result.exit_code == 0, result.output
    clinic = clinic_named("Calm Mind Ketamine Clinic")
    assert clinic.phone == "" and clinic.routes == [] and clinic.price_per_infusion_usd is None
    assert clinic.languages == ["English"]
    assert clinic.slug == "calm-mind-ketamine-clinic-denver-co"


def test_the_header_is_matched_whatever_its_case_and_order(app, tmp_path, import_file):
    path = tmp_path / "mixed.csv"
    path.write_text("ZIP,State,City,Street,Name,Source_ID,PHONE\n80202,co,Denver,1 Main St,Upper Case Ketamine,u1,"
                    "303-555-0188\n", encoding="utf-8")

    result = import_file(path)

    assert "created 1" in result.output, result.output
    clinic = clinic_named("Upper Case Ketamine")
    assert clinic.state == "CO" and clinic.phone == "303-555-0188"


def test_an_import_is_recorded_with_its_counts_and_in_the_audit_log(app, write_csv, import_file):
    import_file(write_csv([row(), row("r2", name="")]), "--source", "Registry")

    run = db.session.scalar(select(ImportRun).order_by(ImportRun.id.desc()))
    assert (run.source, run.created, run.refused, run.filename) == ("Registry", 1, 1, "clinics.csv")
    assert "line 3: name: Enter the clinic's name." in run.report
    entry = db.session.scalar(select(ModerationLog).where(ModerationLog.action == "import",
                                                          ModerationLog.target_id == run.id))
    assert entry is not None and "created 1" in entry.note


def test_a_dry_run_writes_nothing_and_prints_the_same_report(app, write_csv, import_file):
    path = write_csv([row(), row("r2", name="Second Ketamine", zip_code="10001", city="New York", state="NY"),
                      row("r3", zip_code="8020")])
    before_runs = len(db.session.scalars(select(ImportRun)).all())

    dry = import_file(path, "--dry-run")

    assert dry.exit_code == 0
    assert clinic_count() == 0 and len(db.session.scalars(select(ImportRun)).all()) == before_runs
    assert db.session.scalars(select(ListingSource)).all() == []
    real = import_file(path)
    assert dry.output.replace("Dry run: nothing was written.\n", "") == real.output
    assert clinic_count() == 2


def test_a_reimport_creates_nothing_and_updates_by_source_id(app, write_csv, import_file):
    first = [row(phone="303-555-0101", hours="Mon-Fri 9-5"),
             row("r2", name="Second Ketamine", zip_code="10001", city="New York", state="NY", phone="", hours="")]
    import_file(write_csv(first), "--source", "Registry")

    again = import_file(write_csv(first), "--source", "Registry")
    assert again.output.strip().endswith("created 0, updated 0, unchanged 2, refused 0, duplicates 0")
    assert clinic_count() == 2

    changed = [row(phone="303-555-0199", hours="Tue-Sat 8-4"), first[1]]
    result = import_file(write_csv(changed), "--source", "Registry")
    assert result.output.strip().endswith("created 0, updated 1, unchanged 1, refused 0, duplicates 0")
    assert clinic_count() == 2
    clinic = clinic_named("Calm Mind Ketamine Clinic")
    assert clinic.phone == "303-555-0199"
    assert clinic.opening_hours == [{"day": d, "opens": "08:00", "closes": "16:00"} for d in range(1, 6)]
    assert clinic.open_weekends and not clinic.open_evenings


def test_another_source_with_the_same_ids_is_checked_for_duplicates_not_updated(app, write_csv, import_file):
    import_file(write_csv([row(phone="303-555-0101")]), "--source", "Registry")

    result = import_file(write_csv([row(phone="303-555-0101")]), "--source", "Other list")

    assert "line 2: looks like calm-mind-ketamine-clinic-denver-co (same phone 303-555-0101)" in result.output
    assert clinic_count() == 1


def test_an_owner_managed_listing_is_never_overwritten(app, write_csv, import_file, make_owner):
    import_file(write_csv([row(phone="303-555-0101", website="https://calm.example")]), "--source", "Registry")
    clinic = clinic_named("Calm Mind Ketamine Clinic")
    make_owner(clinic)
    db.session.commit()

    result = import_file(write_csv([row(phone="303-555-0199", website="https://other.example")]),
                         "--source", "Registry")

    assert ("line 2: calm-mind-ketamine-clinic-denver-co is managed by its owner, so it was not changed; "
            "the file differs on phone, website") in result.output
    assert result.output.strip().endswith("created 0, updated 0, unchanged 1, refused 0, duplicates 0")
    clinic = clinic_named("Calm Mind Ketamine Clinic")
    assert clinic.phone == "303-555-0101" and clinic.website == "https://calm.example"


def test_a_reimported_rating_replaces_the_sources_earlier_one(app, write_csv, import_file):
    rated = {"rating_source": "Google", "rating": "4.0", "rating_count": "10", "rating_date": "2026-01-05"}
    import_file(write_csv([row(**rated)]), "--source", "Registry")
    import_file(write_csv([row(**{**rated, "rating": "4.5", "rating_count": "12"})]), "--source", "Registry")

    ratings = db.session.scalars(select(OutsideRating)).all()
    assert [(r.site, r.stars, r.rating_count) for r in ratings] == [("Google", 4.5, 12)]
