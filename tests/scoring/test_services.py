"""Stored scores: snapshots with version and history, recompute, and dates that pass by themselves."""

from datetime import timedelta

from sqlalchemy import select

from provider_dir.credentials.vocab import CredentialKind, StaffRole
from provider_dir.extensions import db
from provider_dir.listings.vocab import InsuranceOption
from provider_dir.scoring import services
from provider_dir.scoring.checklist.items import CHECKLIST_VERSION
from provider_dir.scoring.models import ScoreSnapshot
from provider_dir.scoring.vocab import AnswerStatus
from tests.scoring import builders


def snapshots(clinic):
    return list(
        db.session.scalars(select(ScoreSnapshot).where(ScoreSnapshot.clinic_id == clinic.id).order_by(ScoreSnapshot.id))
    )


def test_recompute_stores_the_total_and_a_snapshot_naming_its_version(exemplary, today):
    clinic = exemplary()
    stats = services.recompute_clinics(db.session, [clinic.id])
    assert stats.clinics == 1
    assert clinic.score_total == 100
    [snap] = snapshots(clinic)
    assert (snap.version, snap.total, snap.safety_ok, snap.computed_on) == (CHECKLIST_VERSION, 100, True, today)
    assert snap.item_outcomes()["C07"] == ("verified", 8.0)
    assert len(snap.item_outcomes()) == 21


def test_an_unchanged_score_adds_no_history_and_a_change_adds_a_row(exemplary, moderator):
    clinic = exemplary()
    services.recompute_clinics(db.session, [clinic.id])
    again = services.recompute_clinics(db.session, [clinic.id])
    assert (again.snapshots_written, again.totals_changed) == (0, 0)
    answer = next(a for a in clinic.checklist_answers if a.item_code == "C08")
    db.session.delete(answer)
    db.session.flush()
    services.recompute_clinics(db.session, [clinic.id])
    history = snapshots(clinic)
    assert [s.total for s in history] == [100, 50]
    assert [s.safety_ok for s in history] == [True, False]
    assert [s.total for s in services.score_history(db.session, clinic.id)] == [50, 100]


def test_a_credential_expiring_changes_the_score_on_its_date_with_no_edit(exemplary, today):
    clinic = exemplary()
    licence = next(c for m in clinic.staff for c in m.credentials if c.kind == CredentialKind.STATE_LICENSE)
    licence.expires_on = today + timedelta(days=10)
    db.session.flush()
    services.recompute_clinics(db.session, [clinic.id], on=today)
    assert clinic.score_total == 100
    assert services.due_clinic_ids(db.session, today + timedelta(days=10)) == []
    assert clinic.id in services.due_clinic_ids(db.session, today + timedelta(days=11))
    services.recompute_clinics(db.session, [clinic.id], on=today + timedelta(days=11))
    assert clinic.score_total == 50
    assert services.clinic_score(db.session, clinic.id, today + timedelta(days=11)).safety.expired == ("C01",)


def test_clinics_never_scored_are_due(create_clinic):
    clinic = create_clinic()
    clinic.score_total = None
    db.session.flush()
    assert clinic.id in services.due_clinic_ids(db.session)


def test_what_a_clinic_pays_for_or_lists_does_not_change_its_score(exemplary):
    cheap = exemplary(price_per_infusion_usd=300, insurance=InsuranceOption.NONE, accepting_new_patients=False)
    dear = exemplary(price_per_infusion_usd=900, insurance=InsuranceOption.IN_NETWORK, name="Premium Featured Clinic")
    services.recompute_clinics(db.session, [cheap.id, dear.id])
    assert cheap.score_total == dear.score_total == 100


def test_only_approved_reviews_count(exemplary, add_review):
    from provider_dir.reviews.vocab import Answer, ReviewStatus

    clinic = exemplary()
    for status in (ReviewStatus.PENDING, ReviewStatus.REJECTED, ReviewStatus.WITHDRAWN):
        for _ in range(3):
            add_review(clinic, status=status, vitals_monitored=Answer.NO)
    assert services.clinic_score(db.session, clinic.id).item("C07").status == "verified"
    for _ in range(5):
        add_review(clinic, vitals_monitored=Answer.NO)
    result = services.clinic_score(db.session, clinic.id)
    assert result.item("C07").status == "contradicted"
    assert (result.item("C07").patients.no, result.total) == (5, 50)


def test_the_page_score_names_who_verified_what_and_when(exemplary, moderator):
    clinic = exemplary()
    result = services.clinic_score(db.session, clinic.id)
    c05 = result.item("C05")
    assert (c05.answer.verified_by, c05.answer.verified_at) == (moderator.display_name, builders.CHECKED_AT)
    assert c05.answer.evidence_text == "Policy document for C05"
    [licence, dea] = result.item("C01").credentials
    assert (licence.staff_name, licence.credential.kind, licence.credential.verified_by) == (
        "Dana Reyes, MD",
        "state_license",
        moderator.display_name,
    )


def test_recompute_all_goes_through_every_clinic_in_batches(exemplary, create_clinic):
    clinics = [exemplary() for _ in range(3)] + [create_clinic() for _ in range(2)]
    seen = []
    stats = services.recompute_all(db.session, batch_size=2, after_batch=seen.append)
    assert stats.clinics >= 5 and sum(seen) == stats.clinics
    assert [c.score_total for c in clinics] == [100, 100, 100, 0, 0]


def test_a_new_clinic_gets_a_score_at_once(create_clinic):
    clinic = create_clinic()
    db.session.commit()
    assert clinic.score_total == 0


def test_self_reported_staff_and_answers_are_shown_as_such(create_clinic):
    clinic = create_clinic()
    builders.add_staff(
        db.session,
        clinic,
        StaffRole.PSYCHIATRIST,
        [builders.credential(CredentialKind.STATE_LICENSE), builders.credential(CredentialKind.DEA)],
    )
    builders.answer(db.session, clinic, "C04", AnswerStatus.SELF_REPORTED)
    result = services.clinic_score(db.session, clinic.id)
    assert (result.item("C01").status, result.item("C04").status) == ("self_reported", "self_reported")
    assert result.item("C01").points == 4
