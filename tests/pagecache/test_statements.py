"""Which SQL statements make kept pages stale: writes to public data do, reads and private writes do not."""

import pytest

from provider_dir.pagecache.versioning import changes_public_pages

PUBLIC_WRITES = [
    "INSERT INTO review (clinic_id, stars) VALUES (?, ?)",
    "INSERT OR IGNORE INTO clinic (name) VALUES (?)",
    'UPDATE clinic SET name=%(name)s WHERE clinic.id = %(clinic_id)s',
    "UPDATE credential SET status=? WHERE credential.id = ?",
    "DELETE FROM staff_member WHERE staff_member.id = ?",
    'UPDATE "user" SET display_name=%(display_name)s WHERE "user".id = %(user_id)s',
    'UPDATE "user" SET active=? WHERE "user".id = ?',
    "  update checklist_answer set status = 'verified' where id = 3",
    "WITH moved AS (SELECT id FROM clinic) UPDATE clinic SET score_total = 0",
    "MERGE INTO clinic USING x ON true WHEN MATCHED THEN UPDATE SET name = x.name",
]
NOT_PUBLIC = [
    "SELECT clinic.id FROM clinic WHERE clinic.slug = ?",
    "WITH near AS (SELECT id FROM clinic) SELECT * FROM near",
    "INSERT INTO geocode_cache (query, latitude) VALUES (?, ?)",
    "INSERT INTO notification (user_id) VALUES (?)",
    "UPDATE review_report SET resolved_at=? WHERE id=?",
    'UPDATE "user" SET session_token=%(session_token)s, last_login_at=%(last_login_at)s WHERE "user".id = %(id)s',
    'UPDATE "user" SET password_hash=?, session_token=? WHERE "user".id = ?',
    'INSERT INTO "user" (email, display_name) VALUES (?, ?)',
    "SAVEPOINT sa_savepoint_1",
    "RELEASE SAVEPOINT sa_savepoint_1",
    "PRAGMA foreign_keys=ON",
    "CREATE INDEX ix_clinic_name ON clinic (name)",
]


@pytest.mark.parametrize("statement", PUBLIC_WRITES)
def test_a_write_to_public_data_makes_pages_stale(statement):
    assert changes_public_pages(statement)


@pytest.mark.parametrize("statement", NOT_PUBLIC)
def test_reads_private_writes_and_logging_in_leave_pages_alone(statement):
    assert not changes_public_pages(statement)
