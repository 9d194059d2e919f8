"""NPI_REGISTRY=api: the NPI Registry API answering, timing out and failing, with the file as the fallback."""

from __future__ import annotations

import time
from datetime import date

import pytest
from sqlalchemy import select

from provider_dir.credentials.models import Credential
from provider_dir.credentials.vocab import CredentialKind
from provider_dir.extensions import db
from provider_dir.registry.checks.npi_api import ApiUnavailable, NpiRegistryApi
from provider_dir.registry.checks.runner import run_all_checks
from provider_dir.registry.files.loading import load_nppes
from provider_dir.registry.models import RegistryCheck
from tests.registry.conftest import NPI_ADA, NPI_UNKNOWN
from tests.registry.files import nppes_row, write_nppes
from tests.registry.npi_server import FakeNpiRegistry, recorded_person


@pytest.fixture
def fake_api():
    with FakeNpiRegistry() as server:
        server.answers[NPI_ADA] = recorded_person(NPI_ADA, "ADA", "PARK", deactivated="2026-11-20")
        yield server


def _config(app, server, timeout=0.5):
    return {**app.config, "NPI_REGISTRY": "api", "NPI_REGISTRY_URL": server.url, "NPI_REGISTRY_TIMEOUT": timeout,
            "NPI_REGISTRY_MIN_INTERVAL": 0.0}


def _staff(create_clinic, add_staff):
    return add_staff(create_clinic(state="NY"), full_name="Ada Park", credentials=[
        Credential(kind=CredentialKind.NPI, identifier=NPI_ADA, issuer="NPPES"),
        Credential(kind=CredentialKind.STATE_LICENSE, identifier="MD123456", issuer="NY"),
    ])


def _load_file(tmp_path):
    rows = [nppes_row(NPI_ADA, last="PARK", first="ADA", taxonomies=[("207L00000X", "MD123456", "NY", "Y")])]
    load_nppes(db.session, write_nppes(tmp_path / "npidata_pfile_20261102-20261108.csv", rows))


def _check(credential) -> RegistryCheck:
    return db.session.scalar(select(RegistryCheck).where(RegistryCheck.credential_id == credential.id))


def test_the_api_answers_and_its_answer_is_stored_as_api(app, fake_api, create_clinic, add_staff, tmp_path):
    _load_file(tmp_path)  # the file says active; the API, newer, says deactivated
    member = _staff(create_clinic, add_staff)

    run_all_checks(db.session, _config(app, fake_api))

    check = _check(member.credentials[0])
    assert (check.result, check.via, check.source_date) == ("deactivated", "api", None)
    assert "2026-11-20" in check.detail["reason"]
    assert fake_api.requests[0] == {"version": "2.1", "number": NPI_ADA}


def test_answers_are_cached_and_calls_rate_limited(fake_api):
    client = NpiRegistryApi(fake_api.url, timeout=1, min_interval=0.3)
    started = time.monotonic()
    first = client.lookup(NPI_ADA)
    again = client.lookup(NPI_ADA)
    assert client.lookup(NPI_UNKNOWN) is None
    assert first == again and first.deactivated_on == date(2026, 11, 20)
    assert len(fake_api.requests) == 2  # the second look-up of NPI_ADA came from the cache
    assert time.monotonic() - started >= 0.3  # two calls, at least min_interval apart


@pytest.mark.parametrize("mode", ["slow", "fail"])
def test_when_the_api_times_out_or_fails_the_loaded_file_answers(app, fake_api, create_clinic, add_staff, tmp_path,
                                                                   mode):
    _load_file(tmp_path)
    member = _staff(create_clinic, add_staff)
    fake_api.mode = mode
    fake_api.delay = 1.5

    stats = run_all_checks(db.session, _config(app, fake_api, timeout=0.3))

    check = _check(member.credentials[0])
    assert (check.result, check.via, check.source_date) == ("match", "file", date(2026, 11, 8))
    assert stats.api_failures == 1


def test_an_api_failure_raises_unavailable(fake_api):
    fake_api.mode = "fail"
    with pytest.raises(ApiUnavailable):
        NpiRegistryApi(fake_api.url, timeout=1, min_interval=0).lookup(NPI_ADA)
