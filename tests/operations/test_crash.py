"""A gunicorn worker killed with SIGKILL in the middle of a burst of writes loses no acknowledged write."""

from __future__ import annotations

import os
import signal
import time

import pytest

from provider_dir.extensions import db
from provider_dir.operations.integrity import integrity_problems
from tests.reviews.helpers import review_form
from tests.served import PASSWORD, Gunicorn, Visitor, burst_of_reviews

pytestmark = pytest.mark.slow


def test_a_worker_killed_mid_burst_loses_no_acknowledged_review(served_database, tmp_path):
    killed = []
    with Gunicorn(served_database.url, workers=2, log_path=tmp_path / "gunicorn.log") as server:

        def kill_a_worker() -> None:
            pid = server.worker_pids()[0]
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

        first, *burst = served_database.slugs
        acknowledged, refused = burst_of_reviews(server.base_url, served_database.emails, burst, during=kill_a_worker)
        # The master replaced the dead worker, and the site takes new writes.
        deadline = time.monotonic() + 60
        while (killed[0] in server.worker_pids() or len(server.worker_pids()) < 2) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert killed[0] not in server.worker_pids() and len(server.worker_pids()) == 2
        late = Visitor(server.base_url)
        late.log_in(served_database.emails[0], PASSWORD)
        answer = late.post_form(f"/clinics/{first}/review", review_form())
        assert (answer.status, answer.location.split("#")[0]) == (302, "/reviews/mine")

    stored = served_database.stored_reviews()
    assert len(acknowledged) > len(burst)  # the burst did write, before and after the kill
    assert acknowledged <= stored, f"acknowledged but lost: {sorted(acknowledged - stored)}"
    assert len(acknowledged | refused) == len(served_database.emails) * len(burst)
    assert (served_database.emails[0], first) in stored
    with served_database.app.app_context(), db.engine.connect() as conn:
        assert integrity_problems(conn) == []
