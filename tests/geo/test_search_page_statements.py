"""A new search reads its page with what each result shows: no statement of its own for the results' clinics; with the
points table (geo/points), one statement in all, the results' clinics by id."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import event

from provider_dir.extensions import db
from provider_dir.geo.search import COUNT_CAP
from provider_dir.listings.vocab import Closure

# Every match counted: the counts beside the filters with the search's own total (on PostgreSQL with its page too),
# and on SQLite the page nearest first; a statement more per page was the results' clinics read by id. Beyond the
# cap the page is read from circles that grow until one holds it, a statement each.
MAX_STATEMENTS = 2


def _sent(client, url: str) -> tuple[str, list[str]]:
    statements: list[str] = []

    def note(conn, cursor, statement, *args):
        if not statement.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE")):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", note)
    try:
        response = client.get(url)
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    assert response.status_code == 200, response.text
    return response.get_data(as_text=True), statements


def _names(html: str) -> list[str]:
    return re.findall(r'<h3 class="result-name"><a href="[^"]+">([^<]+)</a>', html)


@pytest.mark.parametrize("points", [False, True], ids=["the database", "the points table"])
@pytest.mark.parametrize("crowded", [False, True], ids=["every match counted", "more than the cap"])
def test_a_search_page_reads_its_results_with_their_page(app, client, create_clinic, search_points, crowded, points):
    search_points(enabled=points)
    # Clinics half a mile apart going north from the ZIP's centre, and one temporarily closed there.
    for n in range(6):
        create_clinic(name=f"Clinic {n}", city="Hoboken" if n == 3 else "New York", latitude=40.7484 + n * 0.00725,
                      longitude=-73.9967, price_per_infusion_usd=400 + n, accepting_new_patients=n != 3)
    if crowded:  # beyond the cap the counts stop early, and the page comes from a circle of its own
        for n in range(COUNT_CAP + 1):
            create_clinic(name=f"Far {n}", latitude=40.7484 + 0.3, longitude=-73.9967 + n * 0.00001)
    create_clinic(name="Closed for now", closure=Closure.TEMPORARY, reopens_on=date(2099, 1, 1), latitude=40.7484,
                  longitude=-73.9967)
    db.session.commit()
    client.get("/search?location=10001&radius=50")  # the site-wide figures and the place's look-up, read once

    html, statements = _sent(client, "/search?location=10001&radius=50.5&per_page=20")

    shown = _names(html)
    assert shown[:6] == [f"Clinic {n}" for n in range(6)]
    assert "Closed for now" not in shown
    [card] = [card for card in html.split('<li class="result-card"') if ">Clinic 3</a>" in card]
    for shown_there in ("1.5 mi", "Hoboken, NY", "$403 per infusion", "Not taking new patients"):
        assert shown_there in card, shown_there
    by_id = [s for s in statements if re.search(r"clinic\.id IN|clinic\.id = ANY", s)]
    if points:  # the circle, its counts and its page from the arrays; the twenty results' clinics by id
        # (and, where the pool's BEGIN does not carry it, the content version the table belongs to)
        reads = [s for s in statements if "content_version" not in s]
        assert len(reads) == len(by_id) == 1, "\n\n".join(statements)
        return
    if not crowded:
        assert len(statements) <= MAX_STATEMENTS, "\n\n".join(statements)
    assert not by_id, "\n\n".join(statements)
