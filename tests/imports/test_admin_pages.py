"""/admin/imports: upload, dry-run report, confirm or cancel, past imports, undo; admins only; audit log."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from provider_dir.accounts.vocab import UserRole
from provider_dir.extensions import db
from provider_dir.imports.models import ImportRun
from provider_dir.moderation.models import ModerationLog
from tests.conftest import TEST_PASSWORD
from tests.imports.conftest import clinic_count, clinic_named, csv_text, row
from tests.second_factor import log_in

ROWS = [row("a1", phone="303-555-0101"),
        row("a2", name="Mile High Ketamine", zip_code="80205", phone="303-555-0102"),
        row("a3", name="")]  # fmt: skip


@pytest.fixture
def admin(create_user):
    return create_user(role=UserRole.ADMIN, display_name="site_admin")


@pytest.fixture
def admin_client(app, admin):
    client = app.test_client()
    log_in(client, admin, TEST_PASSWORD)
    return client


def _upload(client, rows=ROWS, name="clinics.csv", source="Colorado registry"):
    return client.post("/admin/imports", data={"source": source,
                                               "file": (io.BytesIO(csv_text(rows).encode()), name)},
                       content_type="multipart/form-data")


def _pending_files(app) -> list[Path]:
    return sorted((Path(app.config["UPLOAD_FOLDER"]) / "imports").glob("*"))


def test_an_upload_is_kept_under_a_generated_name_and_its_dry_run_shown(app, admin_client):
    response = _upload(admin_client)

    assert response.status_code == 303
    token = re.search(r"/admin/imports/pending/([A-Za-z0-9_-]+)$", response.headers["Location"]).group(1)
    kept = [p.name for p in _pending_files(app) if p.name.startswith(token)]
    assert sorted(kept) == [f"{token}.csv", f"{token}.note.json"]
    page = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "This is a dry run: nothing has been written yet." in page
    assert "line 4: name: Enter the clinic&#39;s name." in page
    assert "created 2, updated 0, unchanged 0, refused 1, duplicates 0" in page
    assert clinic_count() == 0


def test_confirm_imports_records_the_run_and_deletes_the_upload(app, admin_client, admin):
    location = _upload(admin_client).headers["Location"]
    token = location.rsplit("/", 1)[1]

    response = admin_client.post(f"/admin/imports/pending/{token}/confirm")

    assert response.status_code == 303
    assert clinic_count() == 2
    run = db.session.scalar(select(ImportRun).order_by(ImportRun.id.desc()))
    assert (run.actor_id, run.source, run.filename, run.created, run.refused) == (
        admin.id, "Colorado registry", "clinics.csv", 2, 1)
    assert not [p for p in _pending_files(app) if p.name.startswith(token)]
    page = admin_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "created 2, updated 0, unchanged 0, refused 1, duplicates 0" in page
    listing = admin_client.get("/admin/imports").get_data(as_text=True)
    assert "site_admin" in listing and "Colorado registry" in listing
    # Used once: a second confirm finds nothing waiting.
    assert admin_client.post(f"/admin/imports/pending/{token}/confirm").status_code == 410


def test_cancel_deletes_the_upload_and_writes_nothing(app, admin_client):
    token = _upload(admin_client).headers["Location"].rsplit("/", 1)[1]

    response = admin_client.post(f"/admin/imports/pending/{token}/cancel", follow_redirects=True)

    assert "was not imported, and the uploaded file was deleted" in response.get_data(as_text=True)
    assert clinic_count() == 0 and not [p for p in _pending_files(app) if p.name.startswith(token)]
    assert admin_client.get(f"/admin/imports/pending/{token}").status_code == 410


@pytest.mark.parametrize(("data", "message"), [
    ({"source": "x", "file": (io.BytesIO(b"%PDF-1.4"), "list.pdf")}, "Choose a .csv file"),
    ({"source": "", "file": (io.BytesIO(b"a"), "list.csv")}, "Name the source of the file."),
    ({"source": "x"}, "Choose the file to import."),
])  # fmt: skip
def test_a_bad_upload_gets_the_form_back_with_a_message(app, admin_client, data, message):
    response = admin_client.post("/admin/imports", data=data, content_type="multipart/form-data")

    assert response.status_code == 400 and message in response.get_data(as_text=True)


def test_an_unreadable_file_is_refused_on_the_page_and_discarded(app, admin_client):
    before = _pending_files(app)

    page = admin_client.post("/admin/imports", data={"source": "x", "file": (io.BytesIO(b"hello\n"), "a.csv")},
                             content_type="multipart/form-data")

    assert page.status_code == 422
    assert "a.csv cannot be imported: This is not a CSV of clinics" in page.get_data(as_text=True)
    assert _pending_files(app) == before


def _confirmed_run(admin_client) -> ImportRun:
    token = _upload(admin_client).headers["Location"].rsplit("/", 1)[1]
    admin_client.post(f"/admin/imports/pending/{token}/confirm")
    return db.session.scalar(select(ImportRun).order_by(ImportRun.id.desc()))


def test_undo_removes_untouched_listings_and_keeps_claimed_reviewed_or_edited_ones(app, admin_client, make_owner,
                                                                                   add_review):
    run = _confirmed_run(admin_client)
    kept = clinic_named("Mile High Ketamine")
    add_review(kept)
    make_owner(kept)
    db.session.commit()

    response = admin_client.post(f"/admin/imports/{run.id}/undo", data={"confirm": "undo"}, follow_redirects=True)

    page = response.get_data(as_text=True)
    assert "Undone: removed 1 listing, kept 1." in page
    assert "kept mile-high-ketamine-denver-co: it has an owner or staff account; patients have reviewed it" in page
    assert "removed calm-mind-ketamine-clinic-denver-co" in page
    assert clinic_named("Calm Mind Ketamine Clinic") is None and clinic_named("Mile High Ketamine") is not None
    again = admin_client.post(f"/admin/imports/{run.id}/undo", data={"confirm": "undo"})
    assert again.status_code == 409 and "already undone" in again.get_data(as_text=True)


def test_undo_keeps_a_listing_its_owner_edited(app, admin_client):
    run = _confirmed_run(admin_client)
    from provider_dir.models.base import utcnow
    clinic_named("Calm Mind Ketamine Clinic").last_edited_at = utcnow()
    db.session.commit()

    admin_client.post(f"/admin/imports/{run.id}/undo", data={"confirm": "undo"})

    db.session.refresh(run)
    assert "kept calm-mind-ketamine-clinic-denver-co: its owner has edited it" in run.undo_report


def test_undo_keeps_a_listing_with_a_pending_correction(app, admin_client):
    from provider_dir.corrections import services as corrections
    from provider_dir.corrections.vocab import CorrectionField

    run = _confirmed_run(admin_client)
    corrections.suggest(clinic_named("Calm Mind Ketamine Clinic"), CorrectionField.PHONE, {"phone": "303-555-0177"},
                        None)
    db.session.commit()

    admin_client.post(f"/admin/imports/{run.id}/undo", data={"confirm": "undo"})

    db.session.refresh(run)
    assert "kept calm-mind-ketamine-clinic-denver-co: someone suggested a correction to it" in run.undo_report
    assert clinic_named("Calm Mind Ketamine Clinic") is not None


def test_an_empty_undo_post_changes_nothing(app, admin_client):
    run = _confirmed_run(admin_client)

    assert admin_client.post(f"/admin/imports/{run.id}/undo").status_code == 400
    assert clinic_count() == 2


def test_every_import_and_undo_writes_the_audit_log(app, admin_client, admin):
    run = _confirmed_run(admin_client)
    admin_client.post(f"/admin/imports/{run.id}/undo", data={"confirm": "undo"})

    entries = db.session.scalars(select(ModerationLog).where(ModerationLog.target_type == "import_run",
                                                             ModerationLog.target_id == run.id)
                                 .order_by(ModerationLog.id)).all()
    assert [(e.action, e.actor_id) for e in entries] == [("import", admin.id), ("import_undone", admin.id)]
    assert entries[1].note == "Colorado registry: removed 2 listings, kept 0"


@pytest.mark.parametrize("role", [UserRole.PATIENT, UserRole.MODERATOR, UserRole.CLINIC_OWNER])
def test_only_admins_see_the_import_pages(app, create_user, role):
    client = app.test_client()
    user = create_user(role=role)
    log_in(client, user, TEST_PASSWORD)

    assert client.get("/admin/imports").status_code == 403
    assert _upload(client).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(app, client):
    response = client.get("/admin/imports")

    assert response.status_code == 302 and "/login" in response.headers["Location"]
