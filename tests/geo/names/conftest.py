"""A small directory of named clinics and clinicians, in Denver and in New York."""

import pytest

from provider_dir.listings.vocab import ClinicStatus, Closure

DENVER = {"city": "Denver", "state": "CO", "zip_code": "80202", "latitude": 39.7527, "longitude": -104.9997}
NEW_YORK = {"city": "New York", "state": "NY", "zip_code": "10001", "latitude": 40.7506, "longitude": -73.9972}


@pytest.fixture
def named(create_clinic, add_staff):
    """Clinics with names worth misspelling, one hidden (draft) and one closed for good, and their clinicians."""
    clinics = {
        "ascend": create_clinic(name="Ascend Infusion Center", slug="ascend-infusion-center", **DENVER),
        "mile_high": create_clinic(name="Mile High Ketamine", slug="mile-high-ketamine", **DENVER),
        "harbor": create_clinic(name="Harbor Infusion Partners", slug="harbor-infusion", **NEW_YORK),
        "draft": create_clinic(name="Ascend Wellness Draft", slug="ascend-draft", status=ClinicStatus.DRAFT, **DENVER),
        "gone": create_clinic(name="Ascend Gone For Good", slug="ascend-gone", closure=Closure.PERMANENT, **DENVER),
    }
    garcia = add_staff(clinics["harbor"], full_name="María García")
    add_staff(clinics["mile_high"], full_name="Jonathan Whitfield")
    add_staff(clinics["draft"], full_name="Hidden Draftperson")
    return {**clinics, "garcia": garcia}
