"""flask scores recompute."""

from sqlalchemy import select

from provider_dir.extensions import db
from provider_dir.scoring.models import ScoreSnapshot


def test_recompute_redoes_every_clinic_and_reports_what_changed(runner, exemplary, create_clinic):
    good, empty = exemplary(), create_clinic()
    good.score_total = empty.score_total = None
    db.session.flush()
    result = runner.invoke(args=["scores", "recompute"])
    assert result.exit_code == 0, result.output
    assert "Recomputed" in result.output and "clinic scores as of" in result.output
    assert "Recomputing scores" in result.stderr  # the progress bar goes to stderr
    db.session.expire_all()
    assert (good.score_total, empty.score_total) == (100, 0)
    assert db.session.scalar(select(ScoreSnapshot.total).where(ScoreSnapshot.clinic_id == good.id)) == 100


def test_recompute_due_only_touches_clinics_never_scored(runner, exemplary):
    runner.invoke(args=["scores", "recompute"])
    clinic = exemplary()
    clinic.score_total = None
    db.session.flush()
    result = runner.invoke(args=["scores", "recompute", "--due"])
    assert result.exit_code == 0, result.output
    assert "Recomputed 1 clinic scores" in result.output
    db.session.expire_all()
    assert clinic.score_total == 100


def test_a_batch_size_out_of_range_is_refused_with_a_message(runner):
    result = runner.invoke(args=["scores", "recompute", "--batch-size", "5"])
    assert result.exit_code == 2
    assert "batch-size" in result.output
