"""/open-data and its files: made by the worker's daily job, never in a request; served with their date."""

from __future__ import annotations

import hashlib
import json
import zipfile
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest
from sqlalchemy import select

from provider_dir.extensions import db
from provider_dir.opendata.publish import files
from provider_dir.opendata.publish.exporters import EXPORTERS
from provider_dir.worker import runner
from provider_dir.worker.models import JobRun, JobStatus

DAY = datetime(2026, 12, 3, 6, 30, tzinfo=UTC)


@pytest.fixture
def open_data_dir(app, monkeypatch, tmp_path):
    folder = tmp_path / "open_data"
    monkeypatch.setitem(app.config, "OPEN_DATA_DIR", str(folder))
    monkeypatch.setitem(app.config, "WORKER_JOBS", "open_data")
    return folder


def test_before_any_publication_the_page_says_when_files_come(client, open_data_dir):
    page = client.get("/open-data")

    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "No files have been published yet. The first ones are made at 06:00 UTC." in text
    assert "CC BY 4.0" in text and "Review texts" in text and "Documents" in text and "Accounts" in text
    assert client.get("/open-data/files/hsds-services.json").status_code == 404
    assert 'href="/open-data">Open data</a>' in client.get("/about").get_data(as_text=True)  # the footer


def test_the_daily_job_publishes_files_the_page_lists_and_serves_with_their_date(client, create_clinic,
                                                                                open_data_dir):
    create_clinic(name="Published Ketamine")
    db.session.commit()

    [run] = runner.run_due_jobs("worker-1", DAY)

    assert run.status == JobStatus.DONE, run.error
    assert run.summary.startswith("published 1 clinic(s) in 2 file(s)")
    assert runner.run_due_jobs("worker-2", DAY + timedelta(hours=2)) == []  # once a day, whichever worker
    page = client.get("/open-data").get_data(as_text=True)
    assert "December 3, 2026 at 06:30 UTC" in page
    for name in ("hsds-services.json", "hsds-datapackage.zip"):
        assert f'href="/open-data/files/{name}" download' in page
        response = client.get(f"/open-data/files/{name}")
        assert response.status_code == 200
        assert response.headers["Last-Modified"] == format_datetime(DAY, usegmt=True)
        assert response.headers["Content-Disposition"] == f"attachment; filename={name}"
        assert hashlib.sha256(response.data).hexdigest() in page
        again = client.get(f"/open-data/files/{name}", headers={"If-Modified-Since": response.headers["Last-Modified"]})
        assert again.status_code == 304
    services = json.loads(client.get("/open-data/files/hsds-services.json").data)
    assert [s["name"] for s in services] == ["Published Ketamine"]
    with zipfile.ZipFile(files.current(open_data_dir).folder / "hsds-datapackage.zip") as archive:
        assert {"datapackage.json", "services.csv", "schedules.csv", "taxonomy_terms.csv"} <= set(archive.namelist())


@pytest.mark.parametrize("name", ["manifest.json", "..%2Fcurrent.json", "nothing.csv"])
def test_only_the_listed_files_are_served(client, open_data_dir, name):
    files.publish(db.session, open_data_dir, DAY)
    response = client.get(f"/open-data/files/{name}")
    assert response.status_code == 404
    if "%2F" not in name:  # a slash never reaches the view
        assert "open-data page lists the current ones" in response.get_data(as_text=True)


def test_a_failed_run_keeps_serving_the_last_complete_files(app, client, open_data_dir):
    files.publish(db.session, open_data_dir, DAY)

    def broken(session, folder, progress):
        (folder / "half.json").write_text("[")
        raise OSError("disk full")

    with pytest.raises(OSError):
        files.publish(db.session, open_data_dir, DAY + timedelta(days=1), exporters={**EXPORTERS, "broken": broken})

    assert files.current(open_data_dir).created == DAY
    assert [p.name for p in open_data_dir.iterdir() if p.name.startswith(".building")] == []
    assert client.get("/open-data/files/hsds-services.json").status_code == 200


def test_the_job_failure_is_recorded_for_the_operator(app, open_data_dir, monkeypatch):
    open_data_dir.parent.mkdir(parents=True, exist_ok=True)
    open_data_dir.write_text("not a folder")

    [run] = runner.run_due_jobs("worker-1", DAY)

    assert run.status == JobStatus.FAILED and "Error" in run.error
    assert db.session.scalar(select(JobRun.status).where(JobRun.job == "open_data")) == JobStatus.FAILED


def test_the_two_newest_publications_are_kept(open_data_dir, app):
    for days in range(4):
        files.publish(db.session, open_data_dir, DAY + timedelta(days=days))

    kept = sorted(p.name for p in open_data_dir.iterdir() if p.is_dir())
    assert kept == ["20261205-063000", "20261206-063000"]
    assert files.current(open_data_dir).folder.name == "20261206-063000"


def test_flask_export_publish_makes_the_files_on_demand(runner, open_data_dir, create_clinic):
    create_clinic(name="On Demand Ketamine")
    db.session.commit()

    result = runner.invoke(args=["export", "publish"])

    assert result.exit_code == 0, result.output
    assert "Published 1 clinic(s) in 2 file(s)" in result.output
    assert files.current(open_data_dir).file("hsds-services.json") is not None
