"""The clinic page's clinic, read as a row, says what the Clinic object says."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import inspect

from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.listings.page_clinic import page_clinic
from provider_dir.listings.vocab import ClinicStatus, Closure, Condition, Route


def test_the_row_gives_every_column_and_property_the_object_gives(app, create_clinic):
    clinic = create_clinic(slug="row-clinic", routes=[Route.IV, Route.IM], conditions=[Condition.PTSD],
                           closure=Closure.TEMPORARY, reopens_on=date.today() + timedelta(days=3),
                           languages=["English", "Spanish"])
    db.session.commit()

    row = page_clinic("row-clinic")

    for attr in inspect(Clinic).column_attrs:
        assert getattr(row, attr.key) == getattr(clinic, attr.key), attr.key
    assert row.routes == clinic.routes == [Route.IV, Route.IM]
    assert row.conditions == [Condition.PTSD]
    assert row.address_line == clinic.address_line
    assert row.effective_closure() == Closure.TEMPORARY
    assert row.effective_closure(date.today() + timedelta(days=3)) == Closure.OPEN


def test_only_a_published_clinic_with_a_possible_slug_is_read(app, create_clinic):
    create_clinic(slug="draft-clinic", status=ClinicStatus.DRAFT)
    db.session.commit()
    assert page_clinic("draft-clinic") is None
    assert page_clinic("no-such-clinic") is None
    assert page_clinic("bad\x00slug") is None
