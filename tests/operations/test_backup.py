"""flask backup: a consistent copy while the app serves, which restores to the source as it stood at one moment."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from provider_dir import create_app
from provider_dir.operations.backup import BackupError, backup_sqlite, pg_dump_plan, run_pg_dump
from provider_dir.operations.integrity import integrity_problems
from tests.conftest import TEST_CONFIG
from tests.databases import recreate_postgres_database
from tests.served import PASSWORD, Gunicorn, burst_of_reviews

REVIEWS = "SELECT id, author_id, clinic_id, title, body, status FROM review"


def contents(url: str) -> dict:
    """Read what a backup must carry over: reviews, accounts, clinics, the log of submissions."""
    engine = create_engine(url)
    with engine.connect() as conn:
        found = {
            "reviews": {row.id: tuple(row) for row in conn.execute(text(REVIEWS))},
            "users": conn.execute(text('SELECT count(*) FROM "user"')).scalar(),
            "clinics": dict(conn.execute(text("SELECT id, slug FROM clinic")).all()),
            "submitted": sorted(conn.execute(text(
                "SELECT target_id FROM moderation_log WHERE action = 'submitted'")).scalars()),  # fmt: skip
            "orphans": conn.execute(text(
                'SELECT count(*) FROM review r LEFT JOIN "user" u ON u.id = r.author_id '
                "LEFT JOIN clinic c ON c.id = r.clinic_id WHERE u.id IS NULL OR c.id IS NULL")).scalar(),  # fmt: skip
            "problems": integrity_problems(conn),
        }
    engine.dispose()
    return found


def restore(copy, source_url: str) -> str:
    """Return the URL of a database restored from the copy: the SQLite file itself, or pg_restore's target."""
    url = make_url(source_url)
    if url.get_backend_name() == "sqlite":
        return f"sqlite:///{copy}"
    name = f"{url.database}_restored"
    recreate_postgres_database(url, name)
    target = url.set(database=name)
    subprocess.run(  # noqa: S603 - fixed arguments
        [shutil.which("pg_restore") or "pg_restore", "--no-owner", f"--host={url.host}", f"--port={url.port or 5432}",
         f"--username={url.username}", f"--dbname={name}", str(copy)],
        env={**os.environ, "PGPASSWORD": url.password or ""}, check=True, capture_output=True,
    )  # fmt: skip
    return target.render_as_string(hide_password=False)


@pytest.mark.slow
def test_a_backup_taken_while_reviews_arrive_restores_to_one_moment_of_the_source(served_database, tmp_path):
    copy, taken = tmp_path / "copy.backup", {}

    def take_backup() -> None:
        taken["stored_before"] = len(served_database.stored_reviews())
        taken["result"] = served_database.app.test_cli_runner().invoke(args=["backup", str(copy)])

    with Gunicorn(served_database.url, workers=2) as server:
        acknowledged, _ = burst_of_reviews(server.base_url, served_database.emails, served_database.slugs,
                                           during=take_backup)  # fmt: skip
    result = taken["result"]
    assert result.exit_code == 0, result.output
    source, restored = contents(served_database.url), contents(restore(copy, served_database.url))

    assert restored["problems"] == [] and source["problems"] == []
    assert restored["orphans"] == 0  # every review in the copy has its author and its clinic
    assert (restored["users"], restored["clinics"]) == (source["users"], source["clinics"])
    # The copy is the source at one moment during the burst: everything stored before the backup began is in
    # it, each review exactly as in the source, and each with the log row written in the same transaction.
    assert taken["stored_before"] <= len(restored["reviews"]) <= len(source["reviews"]) == len(acknowledged)
    assert all(source["reviews"][rid] == row for rid, row in restored["reviews"].items())
    assert restored["submitted"] == sorted(restored["reviews"])


@pytest.mark.slow
def test_an_app_pointed_at_the_restored_copy_serves_its_accounts_and_clinics(served_database, tmp_path):
    copy = tmp_path / "copy.backup"
    with Gunicorn(served_database.url, workers=2) as server:
        burst_of_reviews(server.base_url, served_database.emails[:2], served_database.slugs[:3])
        result = served_database.app.test_cli_runner().invoke(args=["backup", str(copy)])
    assert result.exit_code == 0, result.output
    restored = create_app({**TEST_CONFIG, "SQLALCHEMY_DATABASE_URI": restore(copy, served_database.url)})
    client = restored.test_client()
    assert client.get(f"/clinics/{served_database.slugs[0]}").status_code == 200
    login = client.post("/login", data={"email": served_database.emails[0], "password": PASSWORD})
    assert login.status_code == 302
    mine = client.get("/reviews/mine").get_data(as_text=True)
    assert all(f"{served_database.emails[0]} on {slug}" in mine for slug in served_database.slugs[:3])


def test_backup_refuses_to_overwrite_a_file(served_database, tmp_path):
    existing = tmp_path / "kept.backup"
    existing.write_text("precious")
    result = served_database.app.test_cli_runner().invoke(args=["backup", str(existing)])
    assert result.exit_code != 0
    assert "exists already" in result.output and "--force" in result.output
    assert existing.read_text() == "precious"


def test_backup_names_a_missing_folder(served_database, tmp_path):
    result = served_database.app.test_cli_runner().invoke(args=["backup", str(tmp_path / "nowhere" / "x.backup")])
    assert result.exit_code != 0
    assert "does not exist" in result.output


def test_backup_of_a_missing_sqlite_file_says_so_and_creates_nothing(tmp_path):
    with pytest.raises(BackupError, match="no database at"):
        backup_sqlite(tmp_path / "absent.sqlite3", tmp_path / "copy.sqlite3")
    assert list(tmp_path.iterdir()) == []


def test_the_pg_dump_command_keeps_the_password_out_of_its_arguments(tmp_path):
    plan = pg_dump_plan("postgresql+psycopg://clinics:s3cret@db.internal:5433/directory", tmp_path / "d.backup")
    assert plan.shown() == (f"pg_dump --format=custom --no-owner --file={tmp_path / 'd.backup'} "
                            "--host=db.internal --port=5433 --username=clinics directory")  # fmt: skip
    assert "s3cret" not in plan.shown() and plan.password == "s3cret"


def test_without_pg_dump_installed_the_message_gives_the_command_to_run(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # a folder without pg_dump
    plan = pg_dump_plan("postgresql+psycopg://clinics:s3cret@localhost/directory", tmp_path / "d.backup")
    with pytest.raises(BackupError, match="pg_dump is not installed") as raised:
        run_pg_dump(plan)
    assert plan.shown() in str(raised.value)


@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="needs the PostgreSQL client")
def test_on_postgresql_backup_says_it_uses_pg_dump(served_database, tmp_path):
    if make_url(served_database.url).get_backend_name() != "postgresql":
        pytest.skip("PostgreSQL only")
    result = served_database.app.test_cli_runner().invoke(args=["backup", str(tmp_path / "d.backup")])
    assert result.exit_code == 0, result.output
    assert "pg_dump --format=custom" in result.output and "pg_restore" in result.output
    assert f":{make_url(served_database.url).password}@" not in result.output  # no URL with its password
