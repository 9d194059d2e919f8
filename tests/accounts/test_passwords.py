"""The password policy (ASVS 6.2) and argon2id storage (ASVS 11.4.2)."""

import pytest

from provider_dir.accounts.passwords import (
    COMMON_PASSWORDS_FILE,
    MAX_LENGTH,
    common_passwords,
    hash_password,
    password_problem,
    verify_password,
)


def test_length_limits():
    assert "at least 8" in password_problem("Tr0ub4!")
    assert password_problem("tram lines") is None
    assert password_problem("x" * MAX_LENGTH) is None
    assert "at most 128" in password_problem("x" * (MAX_LENGTH + 1))


def test_no_composition_rules():
    assert password_problem("all lower case words") is None
    assert password_problem("UPPERCASEONLYPASS") is None


def test_unicode_passwords_are_allowed():
    assert password_problem("Überweisung für Großmutter") is None
    assert password_problem("パスワードは長いほど良い") is None


@pytest.mark.parametrize("common", ["password", "PASSWORD1", "iloveyou", "baseball", "12345678", "qwertyuiop"])
def test_common_passwords_are_refused(common):
    assert "most common" in password_problem(common)


def test_the_shipped_list_has_ten_thousand_passwords_and_names_its_source():
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    header = [line for line in lines if line.startswith("#")]
    assert any("zxcvbn" in line for line in header)
    assert len(common_passwords()) == 10_000
    assert not any(p.startswith("#") for p in common_passwords())


def test_context_words_are_refused():
    context = ("sam.rivers@example.test", "sam.rivers")
    assert "display name" in password_problem("sam.rivers", context)
    assert "email" in password_problem("SAM.RIVERS@example.test", context)
    assert password_problem("ketamine", context) is not None
    assert password_problem("sam rivers walks at dawn", context) is None


def test_hashes_are_argon2id_and_salted():
    first, second = hash_password("a long passphrase"), hash_password("a long passphrase")
    assert first.startswith("$argon2id$")
    assert first != second
    assert verify_password(first, "a long passphrase")
    assert not verify_password(first, "a long passphrasE")
    assert not verify_password("not a hash", "a long passphrase")


def test_long_passwords_are_never_truncated():
    base = "q" * 120
    stored = hash_password(base + "AAAAAAAA")
    assert verify_password(stored, base + "AAAAAAAA")
    assert not verify_password(stored, base + "AAAAAAAB")
    assert not verify_password(stored, base)
