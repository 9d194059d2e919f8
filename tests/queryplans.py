"""Read SQLite's plans of the statements a bulk job sends, to catch work that grows faster than the data.

A bulk job walks the clinics range by range (or batch by batch); each statement it sends once per range
must read only that range: a full scan of a large table inside it, or an index search bounded by something
else than the ids (say every approved review of the site), makes the whole job quadratic. Statements sent
once per job may scan (that is linear).

The plans are read twice: with no planner statistics, as SQLite has them right after a bulk load (the
quadratic ratings plan came from there), and with the statistics of a large database (STATS_1M: `ANALYZE` of
benchmarks/search_bench.py's 100,000-clinic database, row counts times ten), so that the plan holds where the
data is large even though a test's tables are tiny.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import event, text
from sqlalchemy.engine import Engine

LARGE_TABLES = frozenset({
    "clinic", "review", "staff_member", "credential", "checklist_answer", "score_snapshot", "user",
    "listing_source", "outside_rating",  # grow with every import
    "registry_check", "nppes_record", "exclusion_match",  # grow with the staff and the NPPES file
})  # fmt: skip
_ACCESS = re.compile(r"^(SCAN|SEARCH) (\w+)(?: AS (\w+))?")
# An index search is bounded by the range when its constraint is on an id: rowid, a clinic, staff member or
# credential, or an NPI (the registry looks up a batch's NPIs one key at a time).
_BOUNDED = re.compile(r"\((?:rowid|id|clinic_id|staff_member_id|credential_id|load_id=\? AND npi)[<>=]")


@dataclass
class Sent:
    """The statements sent while watching, each with how often and its last parameters."""

    counts: dict[str, int] = field(default_factory=dict)
    params: dict[str, object] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)  # rows each statement changed, summed

    def repeated(self) -> list[str]:
        """Return the statements sent more than once: the job's per-range (per-batch) statements."""
        return [sql for sql, n in self.counts.items() if n > 1 and sql.lstrip()[:6].upper() in _PLANNED]


_PLANNED = ("SELECT", "UPDATE", "DELETE", "INSERT", "WITH")


@contextmanager
def watching() -> Iterator[Sent]:
    """Record every statement any engine sends inside the block (executemany batches too)."""
    sent = Sent()

    def note(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().upper().startswith("EXPLAIN"):
            return
        sent.counts[statement] = sent.counts.get(statement, 0) + 1
        sent.params[statement] = parameters[0] if executemany and parameters else parameters

    def changed(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip()[:6].upper() in ("UPDATE", "DELETE", "INSERT") and cursor.rowcount > 0:
            sent.rows[statement] = sent.rows.get(statement, 0) + cursor.rowcount

    event.listen(Engine, "before_cursor_execute", note)
    event.listen(Engine, "after_cursor_execute", changed)
    try:
        yield sent
    finally:
        event.remove(Engine, "before_cursor_execute", note)
        event.remove(Engine, "after_cursor_execute", changed)


def plan(session, statement: str, parameters) -> list[str]:
    """Return SQLite's EXPLAIN QUERY PLAN of a statement as its detail lines."""
    rows = session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters or ())
    return [row[3] for row in rows]


def unbounded_reads(lines: list[str]) -> list[str]:
    """Return the plan lines that read a large table beyond the range: a full scan, or a search not on an id."""
    bad = []
    for line in lines:
        found = _ACCESS.match(line)
        if found is None or found.group(2) not in LARGE_TABLES:
            continue  # a subquery's result, a constant row, a small table
        if found.group(1) == "SCAN" or not _BOUNDED.search(line):
            bad.append(line)
    return bad


def assert_per_range_statements_bounded(session, sent: Sent, at_least: int) -> None:
    """Fail on any statement sent once per range whose plan reads a large table beyond the range."""
    repeated = sent.repeated()
    assert len(repeated) >= at_least, f"expected {at_least}+ per-range statements, saw {len(repeated)}"
    failures = []
    for statement in repeated:
        lines = plan(session, statement, sent.params[statement])
        bad = unbounded_reads(lines)
        if bad:
            failures.append(f"{statement}\n  reads beyond its range: {bad}\n  plan: {lines}")
    assert not failures, "\n\n".join(failures)


# sqlite_stat1 of benchmarks/out/search_100000.sqlite3 after ANALYZE, row counts times ten (the per-key figures
# do not change with size), for the tables bulk jobs read.
STATS_1M: list[tuple[str, str | None, str]] = [
    ('checklist_answer', 'sqlite_autoindex_checklist_answer_1', "6192560 7 1"),
    ('clinic', 'ix_clinic_directory', "1000000 50000 981 7 2 1"),
    ('clinic', 'ix_clinic_geo_search', "1000000 2 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1"),
    ('clinic', 'ix_clinic_lat_lon', "1000000 1 1"),
    ('clinic', 'ix_clinic_rating_walk', "1000000 50000 363 1 1 1 1"),
    ('clinic', 'ix_clinic_score_walk', "1000000 50000 637 1 1 1 1"),
    ('clinic', 'ix_clinic_state_city', "1000000 1961 8"),
    ('clinic', 'ix_clinic_status', "1000000 50000"),
    ('clinic', 'sqlite_autoindex_clinic_1', "1000000 1"),
    ('credential', 'ix_credential_staff_member_id', "9979180 4"),
    ('review', 'ix_review_author_id', "3609110 8"),
    ('review', 'ix_review_clinic_status', "3609110 5 3"),
    ('review', 'ix_review_status_created', "3609110 90228 2"),
    ('review', 'sqlite_autoindex_review_1', "3609110 5 1"),
    ('score_snapshot', 'ix_score_snapshot_changes_on', "1000000 100"),
    ('score_snapshot', 'ix_score_snapshot_clinic_latest', "1000000 1 1"),
    ('staff_member', 'ix_staff_member_clinic_id', "2505110 3"),
    ('user', 'ix_user_session_token', "500010 1"),
    ('user', 'sqlite_autoindex_user_1', "500010 1"),
    ('user', 'sqlite_autoindex_user_2', "500010 1"),
]


def use_large_statistics(session) -> None:
    """Give the planner the statistics of a 1,000,000-clinic database (rolled back with the test)."""
    connection = session.connection()
    connection.exec_driver_sql("ANALYZE sqlite_schema")  # creates sqlite_stat1 if it is missing
    connection.exec_driver_sql("DELETE FROM sqlite_stat1")
    connection.execute(text("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (:t, :i, :s)"),
                       [{"t": t, "i": i, "s": s} for t, i, s in STATS_1M])  # fmt: skip
    connection.exec_driver_sql("ANALYZE sqlite_schema")  # reloads the statistics from sqlite_stat1


def seed_clinics(session, n: int = 8) -> None:
    """Add n synthetic clinics with staff, credentials, answers and reviews, as the bulk jobs meet them."""
    from datetime import date

    from provider_dir.seeding.synthetic import add_synthetic_clinics

    add_synthetic_clinics(session, n, seed=5, today=date(2026, 11, 26), workers=0)
    session.flush()


def with_statistics(session, statistics: str) -> None:
    """Leave the planner without statistics ("none", as after a bulk load) or give it those of a large database.

    Skips the test on PostgreSQL: its plans of tiny tables say nothing about large ones (benchmarks/bulk_bench.py
    and the EXPLAIN ANALYZE figures in the README cover it).
    """
    import pytest

    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("reads SQLite's query plans")
    if statistics == "large":
        use_large_statistics(session)
