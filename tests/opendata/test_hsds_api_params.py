"""The HSDS API's parameters: any RFC 3339 date-time reads as UTC; every fault is named."""

import uuid
from datetime import UTC, datetime

import pytest

from provider_dir.opendata.hsds_api.params import BadParameters, parse, parse_datetime


@pytest.mark.parametrize("text, expected", [
    ("2026-11-30T10:00:00Z", datetime(2026, 11, 30, 10, tzinfo=UTC)),
    ("2026-11-30t10:00:00.123z", datetime(2026, 11, 30, 10, tzinfo=UTC)),
    ("2026-11-30T10:00:00-05:30", datetime(2026, 11, 30, 15, 30, tzinfo=UTC)),
    ("2016-12-31T23:59:60Z", datetime(2016, 12, 31, 23, 59, 59, tzinfo=UTC)),  # a leap second
    ("0000-01-01T00:00:00Z", datetime.min.replace(tzinfo=UTC)),  # RFC 3339 has a year 0; Python does not
    ("0001-01-01T00:00:00+01:00", datetime.min.replace(tzinfo=UTC)),
    ("9999-12-31T23:59:59-01:00", datetime.max.replace(tzinfo=UTC)),
])
def test_every_rfc_3339_date_time_reads_as_utc(text, expected):
    assert parse_datetime(text).replace(microsecond=0) == expected.replace(microsecond=0)


def test_every_fault_is_named_at_once():
    with pytest.raises(BadParameters) as caught:
        parse("services", {"page": ["two"], "format": ["csv"], "postcode": ["10001"], "organization_id": ["x"]})
    assert set(caught.value.fields) == {"page", "format", "postcode", "organization_id"}


def test_defaults_and_a_blank_search():
    query = parse("services", {"search": ["  "]})
    assert (query.page, query.per_page, query.format, query.search) == (1, 50, "json", None)


def test_the_lookup_computes_the_same_uuids_as_the_published_ids():
    import hashlib

    from provider_dir.opendata.hsds_api.lookup import uuid5_bytes
    from provider_dir.opendata.ids import NAMESPACE, public_id

    for kind in ("clinic", "service", "service_at_location"):
        prefix = hashlib.sha1(NAMESPACE.bytes + f"{kind}:".encode(), usedforsecurity=False)
        for clinic_id in (1, 42, 99_999):
            assert uuid.UUID(bytes=uuid5_bytes(prefix, clinic_id)) == uuid.UUID(public_id(kind, clinic_id))
