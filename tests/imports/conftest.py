"""Helpers for import tests: write a file, run `flask import clinics`, read the listings back."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from provider_dir.extensions import db
from provider_dir.listings.models import Clinic

HEADER = ["source_id", "name", "street", "city", "state", "zip"]


def row(source_id: str = "r1", name: str = "Calm Mind Ketamine Clinic", street: str = "100 Main St",
        city: str = "Denver", state: str = "CO", zip_code: str = "80202", **optional) -> dict:
    """Return one CSV row: the required columns with sensible values, plus any optional ones."""
    return {"source_id": source_id, "name": name, "street": street, "city": city, "state": state, "zip": zip_code,
            **optional}


def csv_text(rows: list[dict]) -> str:
    """Return rows as CSV text, the header being every column any row uses (required ones first)."""
    columns = list(HEADER)
    for each in rows:
        columns += [c for c in each if c not in columns]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@pytest.fixture
def write_csv(tmp_path) -> Callable[..., Path]:
    """Return a writer of CSV files (rows as dicts) in the test's folder."""

    def make(rows: list[dict], name: str = "clinics.csv", encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(csv_text(rows).encode(encoding))
        return path

    return make


@pytest.fixture
def import_file(runner) -> Callable[..., object]:
    """Return a function running `flask import clinics` on a path; the result has .output and .exit_code."""

    def run(path, *options: str):
        return runner.invoke(args=["import", "clinics", str(path), *options])

    return run


def clinic_count() -> int:
    """Return how many listings the database holds."""
    return db.session.scalar(select(func.count()).select_from(Clinic))


def clinic_named(name: str) -> Clinic | None:
    """Return the listing with this name, fresh from the database."""
    db.session.expire_all()
    return db.session.scalar(select(Clinic).where(Clinic.name == name))
