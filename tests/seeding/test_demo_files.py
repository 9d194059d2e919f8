"""The committed demo files: reproducible by their generator, fictional, varied and consistent."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from datetime import date

import pytest

from provider_dir.config import PROJECT_ROOT
from provider_dir.credentials.npi import is_valid_npi
from provider_dir.seeding.checklist import ITEM_BY_CODE, SAFETY_CODES
from provider_dir.seeding.demo import DEMO_DIR, read_demo_files

ANCHOR = date(2026, 11, 26)  # seeds/generate_demo.py ANCHOR


@pytest.fixture(scope="module")
def files():
    return read_demo_files()


def test_the_generator_reproduces_the_committed_files_byte_for_byte(tmp_path):
    generator = [sys.executable, str(PROJECT_ROOT / "seeds" / "generate_demo.py"), "--out", str(tmp_path)]
    subprocess.run(generator,  # noqa: S603 - our own script, fixed arguments
                   check=True, capture_output=True, timeout=300)
    committed = sorted(p.name for p in DEMO_DIR.glob("*.json"))
    assert committed == sorted(p.name for p in tmp_path.glob("*.json"))
    for name in committed:
        assert (tmp_path / name).read_bytes() == (DEMO_DIR / name).read_bytes(), name


def test_contact_details_are_fictional(files):
    for clinic in files.clinics:
        assert re.fullmatch(r"\(\d{3}\) 555-01\d\d", clinic["phone"]), clinic["phone"]
        assert re.fullmatch(r"https://[a-z0-9-]+\.example", clinic["website"]), clinic["website"]
    assert all(u["email"].endswith(".example") for u in files.users + files.accounts)


def test_clinic_names_and_descriptions_vary(files):
    names = [c["name"] for c in files.clinics]
    assert len(set(names)) == len(names)
    assert sum("Ketamine Clinic" in n for n in names) < len(names) / 4
    assert len({c["description"] for c in files.clinics}) == len(files.clinics)


def test_prices_and_offers_are_plausible(files):
    priced = [c for c in files.clinics if c["price_per_infusion_usd"] is not None]
    assert len(priced) > 0.8 * len(files.clinics)
    for clinic in priced:
        assert 350 <= clinic["price_per_infusion_usd"] <= 800
        assert clinic["price_series_usd"] < clinic["price_per_infusion_usd"] * clinic["series_infusions"] + 1
    assert all(c["routes"] and "depression" in c["conditions"] for c in files.clinics)
    assert any(len(c["languages"]) > 1 for c in files.clinics)


def test_review_texts_are_unique_and_never_name_staff(files):
    bodies = [r["body"] for r in files.reviews]
    assert len(set(bodies)) == len(bodies)
    staff_names = {m["full_name"] for c in files.clinics for m in c["staff"]}
    surnames = {name.split()[-1] for name in staff_names}
    for body in bodies:
        words = set(re.findall(r"[A-Z][a-z]+", body))
        assert not words & surnames, body


def test_prescribers_hold_dea_numbers_with_valid_check_digits(files):
    deas = [c["identifier"] for clinic in files.clinics for m in clinic["staff"] for c in m["credentials"]
            if c["kind"] == "dea"]
    assert len(deas) > 100
    for dea in deas:
        d = [int(x) for x in dea[2:]]
        assert (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10 == d[6], dea
    npis = [c["identifier"] for clinic in files.clinics for m in clinic["staff"] for c in m["credentials"]
            if c["kind"] == "npi"]
    assert all(is_valid_npi(n) for n in npis)


def test_checklist_answers_use_the_item_codes_and_their_allowed_evidence(files):
    for clinic in files.clinics:
        codes = [a["item_code"] for a in clinic["checklist"]]
        assert len(codes) == len(set(codes))
        for answer in clinic["checklist"]:
            item = ITEM_BY_CODE[answer["item_code"]]
            if answer["status"] == "unknown":
                assert answer["evidence_kind"] is None
                continue
            assert answer["evidence_kind"] in {k.value for k in item.kinds}
            assert bool(answer["expires_on"]) == item.dated
            assert (answer["status"] == "verified") == bool(answer["verified_by"])


def test_clinics_range_from_strong_to_missing_safety_items(files):
    def safety_answered(clinic) -> int:
        return sum(1 for a in clinic["checklist"] if a["item_code"] in SAFETY_CODES and a["status"] != "unknown")

    answered = Counter(safety_answered(c) for c in files.clinics)
    assert answered[len(SAFETY_CODES)] > 10  # every safety item answered
    assert sum(n for k, n in answered.items() if k <= len(SAFETY_CODES) - 3) > 10  # several missing
    verified_share = [sum(a["status"] == "verified" for a in c["checklist"]) / 21 for c in files.clinics]
    assert max(verified_share) > 0.5 and min(verified_share) == 0
    expired = sum(1 for c in files.clinics for a in c["checklist"]
                  if a["expires_on"] and date.fromisoformat(a["expires_on"]) < ANCHOR)
    assert expired > 5


def test_reviews_span_about_three_years(files):
    created = sorted(r["created_at"][:10] for r in files.reviews)
    first, last = date.fromisoformat(created[0]), date.fromisoformat(created[-1])
    assert (last - first).days > 900
    assert last <= ANCHOR
