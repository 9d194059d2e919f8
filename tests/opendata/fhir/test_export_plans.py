"""The FHIR export reads each batch of clinics, their staff, credentials and checks only, never whole tables."""

from __future__ import annotations

import pytest

from provider_dir.extensions import db
from provider_dir.opendata.fhir.export import write_fhir
from tests.queryplans import assert_per_range_statements_bounded, plan, seed_clinics, watching, with_statistics


@pytest.mark.parametrize("statistics", ["none", "large"])
def test_each_batch_reads_only_its_clinics(app, tmp_path, statistics):
    seed_clinics(db.session, 8)
    with_statistics(db.session, statistics)
    with watching() as sent:
        result = write_fhir(db.session, tmp_path, batch=2)
    assert result.counts["Organization"] >= 4
    assert_per_range_statements_bounded(db.session, sent, at_least=4)
    for statement in sent.repeated():  # the small tables too: sought through their staff member, not scanned
        lines = plan(db.session, statement, sent.params[statement])
        assert not [line for line in lines if line.startswith(("SCAN registry_check", "SCAN exclusion_match"))], lines
