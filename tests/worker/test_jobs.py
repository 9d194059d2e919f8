"""The daily jobs: when each is due, a failure recorded and tried again the next day, backups kept to seven."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from provider_dir.models.memory import give_memory_back
from provider_dir.worker import runner
from provider_dir.worker.jobs import BACKUP_PREFIX, prune_backups
from provider_dir.worker.models import JobStatus
from provider_dir.worker.schedule import ScheduleError, current_period, parse_time
from tests.resident import resident_mb


def test_a_day_runs_from_the_jobs_time_until_the_next_days():
    at = time(2, 0, tzinfo=UTC)
    assert current_period(datetime(2026, 12, 4, 1, 59, tzinfo=UTC), at) == date(2026, 12, 3)
    assert current_period(datetime(2026, 12, 4, 2, 0, tzinfo=UTC), at) == date(2026, 12, 4)
    assert current_period(datetime(2026, 12, 4, 23, 59, tzinfo=UTC), at) == date(2026, 12, 4)


@pytest.mark.parametrize("bad", ["2", "24:00", "02:60", "two"])
def test_a_job_time_that_is_not_hh_mm_is_refused_with_its_name(bad):
    with pytest.raises(ScheduleError, match="backup job must be HH:MM"):
        parse_time(bad, "backup")


def test_a_failing_job_is_recorded_and_tried_again_next_period(app, monkeypatch, tmp_path):
    not_a_folder = tmp_path / "not-a-folder"
    not_a_folder.write_text("a file where the backups should go")
    monkeypatch.setitem(app.config, "WORKER_JOBS", "backup")
    monkeypatch.setitem(app.config, "JOB_TIMES", {**app.config["JOB_TIMES"], "backup": "02:00"})
    monkeypatch.setitem(app.config, "BACKUP_DIR", str(not_a_folder))
    before = runner.counts(app.extensions["sqlalchemy"].session)
    day_one = datetime(2026, 12, 4, 3, 0, tzinfo=UTC)
    [failed] = runner.run_due_jobs("worker-1", day_one)
    assert (failed.job, failed.period, failed.status) == ("backup", "2026-12-04", JobStatus.FAILED)
    assert "is not a folder" in failed.error
    assert runner.run_due_jobs("worker-1", day_one + timedelta(hours=20)) == []  # once per period, failed or not
    backups = tmp_path / "backups"
    monkeypatch.setitem(app.config, "BACKUP_DIR", str(backups))
    [done] = runner.run_due_jobs("worker-2", day_one + timedelta(days=1))
    assert (done.period, done.status) == ("2026-12-05", JobStatus.DONE)
    suffix = ".dump" if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql") else ".sqlite3"
    assert [p.name for p in backups.iterdir()] == [f"{BACKUP_PREFIX}20261205-030000{suffix}"]
    after = runner.counts(app.extensions["sqlalchemy"].session)
    assert (after.failed - before.failed, after.done - before.done) == (1, 1)


def test_an_unknown_job_name_is_refused_with_the_known_ones(app, monkeypatch):
    monkeypatch.setitem(app.config, "WORKER_JOBS", "backup,laundry")
    with pytest.raises(ValueError, match="unknown job\\(s\\) laundry; known: notices, scores, backup"):
        runner.enabled_jobs()


def test_only_the_newest_seven_backups_are_kept(tmp_path):
    for day in range(1, 11):
        (tmp_path / f"{BACKUP_PREFIX}202612{day:02d}-020000.sqlite3").write_bytes(b"")
    (tmp_path / "someone-elses-file.sqlite3").write_bytes(b"")
    assert prune_backups(tmp_path, ".sqlite3", 7) == 3
    kept = sorted(p.name for p in tmp_path.iterdir())
    assert kept[0] == f"{BACKUP_PREFIX}20261204-020000.sqlite3" and len(kept) == 8


def test_the_worker_does_not_keep_the_memory_a_job_freed(app, monkeypatch):
    if not give_memory_back():
        pytest.skip("only the GNU C library can be asked to hand freed memory back")
    kept, resident_after_the_job = [], []

    def bulk_job(now: datetime) -> str:
        # 160 MB in blocks the C library serves from its heap (as SQLite's page cache is), one in 64 still held.
        blocks = [bytearray(8192) for _ in range(20_000)]
        kept.extend(blocks[::64])
        del blocks
        resident_after_the_job.append(resident_mb())
        return "done"

    monkeypatch.setitem(runner.JOBS, "scores", bulk_job)
    run = runner.run_job("scores", "2026-12-05", "worker-1", datetime(2026, 12, 5, 3, 0, tzinfo=UTC))
    assert run.status == JobStatus.DONE
    assert resident_mb() < resident_after_the_job[0] - 80
