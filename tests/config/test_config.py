"""Configuration from the environment, the production guard, and SQLite connection settings."""

import pytest
from sqlalchemy import create_engine, event, text
from sqlalchemy.exc import OperationalError

import provider_dir.models.engine  # noqa: F401 - installs the connection listeners
from provider_dir import create_app
from provider_dir.config import ConfigError, from_environment, normalise_database_url
from provider_dir.models.engine import BUSY_TIMEOUT_MS


def test_no_settings_at_all_gives_a_working_development_config():
    config = from_environment({})
    assert config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert config["SQLALCHEMY_DATABASE_URI"].endswith("instance/provider_dir.sqlite3")
    assert config["GEOCODER"] == "offline"
    assert config["SESSION_COOKIE_SECURE"] is False


def test_production_refuses_to_start_without_a_real_secret_key(monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app()


def test_production_refuses_a_short_secret_key(monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "short")
    with pytest.raises(ConfigError):
        create_app()


def test_production_with_a_real_key_starts_with_secure_cookies(monkeypatch, tmp_path):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 48)
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.sqlite3'}"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    response = app.test_client().get("/healthz")
    assert "Strict-Transport-Security" in response.headers


def test_debug_is_refused_in_production(monkeypatch):
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "x" * 48)
    with pytest.raises(ConfigError, match="Debug"):
        create_app({"DEBUG": True})


def test_postgres_urls_use_the_psycopg_driver():
    assert normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("sqlite:///x") == "sqlite:///x"


def test_sqlite_connections_get_wal_busy_timeout_and_foreign_keys(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'pragmas.sqlite3'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == BUSY_TIMEOUT_MS == 20_000
    engine.dispose()


def test_sqlite_write_transactions_take_the_write_lock_up_front(tmp_path):
    """A second writer waits for the first (busy_timeout) instead of failing half-way."""
    url = f"sqlite:///{tmp_path / 'locks.sqlite3'}"
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
    first = engine.connect()
    first.begin()
    first.execute(text("SELECT count(*) FROM t"))
    other = create_engine(url)
    event.listen(other, "connect", lambda dbapi, record: dbapi.execute("PRAGMA busy_timeout=100"))
    with other.connect() as second, pytest.raises(OperationalError, match="locked"):
        # BEGIN IMMEDIATE cannot start while the first writer holds the lock: it waits, then says so,
        # rather than failing later on a lock upgrade half-way through its work.
        second.execute(text("SELECT 1"))
    first.rollback()
    first.close()
    other.dispose()
    engine.dispose()
