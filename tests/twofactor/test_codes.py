"""The plain functions behind two-factor sign-in: code matching by time step, recovery codes, stored-key encryption."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from provider_dir.twofactor import codes

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
NOON = datetime(2026, 12, 4, 12, 0, 10, tzinfo=UTC)


def test_a_code_matches_its_own_step_and_the_steps_either_side_only():
    totp = pyotp.TOTP(SECRET)
    step = totp.timecode(NOON)
    assert codes.matching_step(SECRET, totp.at(NOON), NOON) == step
    assert codes.matching_step(SECRET, totp.at(NOON - timedelta(seconds=30)), NOON) == step - 1
    assert codes.matching_step(SECRET, totp.at(NOON + timedelta(seconds=30)), NOON) == step + 1
    assert codes.matching_step(SECRET, totp.at(NOON - timedelta(seconds=60)), NOON) is None
    assert codes.matching_step(SECRET, totp.at(NOON + timedelta(seconds=90)), NOON) is None


def test_what_people_type_is_normalised_before_it_is_compared():
    assert codes.normalise(" 123 456 ") == "123456"
    assert codes.is_totp_shaped(codes.normalise("123 456"))
    assert not codes.is_totp_shaped("12345") and not codes.is_totp_shaped("１２３４５６")  # full-width digits
    assert codes.normalise("abcd-efgh ijkl-mnpq") == "ABCDEFGHIJKLMNPQ"


def test_ten_recovery_codes_each_of_80_bits_and_stored_only_as_a_hash():
    fresh = codes.new_recovery_codes()
    assert len(fresh) == 10 and len(set(fresh)) == 10
    assert all(len(c) == 16 and set(c) <= set(codes.RECOVERY_ALPHABET) for c in fresh)
    assert len(codes.RECOVERY_ALPHABET) == 32  # 16 characters x 5 bits
    digest = codes.hash_recovery_code(fresh[0])
    assert len(digest) == 64 and fresh[0] not in digest


def test_a_stored_key_opens_with_any_configured_key_and_never_with_another():
    stored = codes.encrypt(["old-key"], SECRET)
    assert SECRET not in stored
    assert codes.decrypt(["new-key", "old-key"], stored) == SECRET  # rotation: the old key still decrypts
    assert codes.decrypt(["new-key"], codes.encrypt(["new-key", "old-key"], SECRET)) == SECRET
    with pytest.raises(codes.SecretUnreadable, match="An admin must reset it"):
        codes.decrypt(["another-key"], stored)


def test_the_qr_code_is_an_svg_with_a_name_for_screen_readers():
    svg = codes.qr_svg(codes.provisioning_uri(SECRET, "mod@example.test"), "QR code of your key")
    assert svg.startswith('<svg role="img" aria-label="QR code of your key"')
    assert "mod@example.test" not in svg and SECRET not in svg  # drawn, not written
    uri = codes.provisioning_uri(SECRET, "mod@example.test")
    assert uri.startswith("otpauth://totp/") and f"secret={SECRET}" in uri and "issuer=Lantern" in uri
