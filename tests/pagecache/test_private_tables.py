"""The tables kept pages ignore stay unread by the features that render public pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import provider_dir
from provider_dir.extensions import db
from provider_dir.pagecache.versioning import PRIVATE_TABLES, changes_public_pages

PACKAGE = Path(provider_dir.__file__).parent
# Features whose pages are never kept (each is signed-in only) may read private tables; seeding writes them.
# Corrections and appeals are signed-in only too; mail and the worker serve no page.
READERS = {
    "moderation", "portal", "admin", "notices", "seeding", "models", "pagecache", "operations", "corrections",
    "appeals", "mail", "worker",
}  # fmt: skip
# The geocode cache is read by search on purpose: it only remembers where a place is, never what a page shows.
READ_ON_PURPOSE = {"geocode_cache", "alembic_version", "content_version"}


def model_names(table: str) -> list[str]:
    return [m.class_.__name__ for m in db.Model.registry.mappers if m.local_table.name == table]


@pytest.mark.parametrize("table", sorted(PRIVATE_TABLES - READ_ON_PURPOSE))
def test_no_public_feature_reads_a_private_table(table):
    names = model_names(table)
    assert names, f"{table} has no model"
    reads = re.compile(rf"select\(\s*(?:{'|'.join(names)})\b|\b(?:{'|'.join(names)})\.\w+\s*(?:==|\.in_)")
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if path.relative_to(PACKAGE).parts[0] not in READERS and reads.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], f"{table} is read by {offenders}: a public page may show it; drop it from PRIVATE_TABLES"


@pytest.mark.parametrize(
    "statement",
    [
        "INSERT INTO moderation_log (actor_id, action) VALUES (?, ?)",
        "INSERT INTO clinic_claim (clinic_id, user_id) VALUES (?, ?)",
        "UPDATE listing_change SET status=? WHERE listing_change.id = ?",
        "INSERT INTO owner_terms_acceptance (user_id, clinic_id) VALUES (?, ?)",
    ],
)
def test_the_audit_log_and_pending_owner_work_leave_pages_alone(statement):
    assert not changes_public_pages(statement)
