"""A search result reads what it shows of a clinic as a plain row: the same values the clinic itself gives, and no
clinic object loaded into the session."""

from __future__ import annotations

from datetime import date, timedelta

from provider_dir.extensions import db
from provider_dir.geo.search import SearchQuery, search_clinics
from provider_dir.geo.summaries import ClinicSummary, summaries_by_id
from provider_dir.listings.closures import closure_text, set_closure
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import Closure, Condition, Route

TODAY = date.today()


def test_a_summary_gives_what_the_clinic_gives(create_clinic):
    paused = create_clinic(name="Paused Spray Clinic", routes=[Route.IV, Route.ESKETAMINE],
                           conditions=[Condition.DEPRESSION, Condition.PTSD], score_total=71.5,
                           rating_avg=4.5, rating_bayes=4.25, rating_count=12, has_verified_credentials=True)
    reopened = create_clinic(name="Reopened Clinic", price_per_infusion_usd=None, accepting_new_patients=False)
    set_closure(paused, Closure.TEMPORARY, TODAY + timedelta(days=20))
    set_closure(reopened, Closure.TEMPORARY, TODAY - timedelta(days=1))
    db.session.commit()

    summaries = summaries_by_id(db.session, [paused.id, reopened.id, 999_999])

    assert set(summaries) == {paused.id, reopened.id}  # an id that is not there is left out
    for clinic in (paused, reopened):
        summary = summaries[clinic.id]
        for name in ClinicSummary._fields:
            assert getattr(summary, name) == getattr(clinic, name), name
        assert summary.routes == clinic.routes and summary.conditions == clinic.conditions
        assert summary.effective_closure() == clinic.effective_closure()
        assert closure_text(summary) == closure_text(clinic)
    assert summaries[paused.id].routes == [Route.IV, Route.ESKETAMINE]
    assert closure_text(summaries[paused.id]).startswith("Temporarily closed; reopens")
    assert summaries[reopened.id].effective_closure() is Closure.OPEN


def test_a_page_of_results_loads_no_clinic_objects(create_clinic):
    for n in range(5):
        create_clinic(name=f"Midtown Clinic {n}", latitude=40.75 + n / 1000)
    db.session.commit()
    db.session.expunge_all()

    found = search_clinics(db.session, SearchQuery(latitude=40.7506, longitude=-73.9972, radius_miles=5))

    assert sorted(hit.clinic.name for hit in found.hits) == [f"Midtown Clinic {n}" for n in range(5)]
    assert not [obj for obj in db.session.identity_map.values() if isinstance(obj, Clinic)]


def test_pages_of_any_size_find_their_clinics(create_clinic):
    clinics = [create_clinic(name=f"Sized {n}") for n in range(3)]
    db.session.commit()
    ids = [c.id for c in clinics]
    for size in (1, 8, 20, 21, 100, 150):  # the fixed statements' sizes, between them and beyond the largest
        asked = (ids + list(range(900_000, 900_000 + size)))[:size]
        assert set(summaries_by_id(db.session, asked)) == set(ids[:size]), size
