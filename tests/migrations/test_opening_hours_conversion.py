"""The structured-hours migration reads every clinic's free text, keeps what it cannot read as a note, and lists it."""

import json
from datetime import datetime

from sqlalchemy import text

HOURS_REVISION = "d4b9e2a7c1f3"
NEW_YEAR = datetime(2026, 1, 1)
TEXTS = {
    "plain": "Mon-Fri 8:00 am-5:00 pm",
    "split-days": "Mon 09:00-17:00; Sat 09:00-12:00,13:00-19:00",
    "odd": "Mon-Fri 9:00 am-5:00 pm; evening infusions Thu until 8:00 pm",
    "appointment": "By appointment, Mon-Fri",
    "none": "",
}


def _clinic(runner, number, slug, hours):
    runner.insert_into("clinic", {
        "id": number, "slug": slug, "name": f"Clinic {slug}", "description": "", "street": "1 Main St",
        "city": "Albany", "state": "NY", "zip_code": "12207", "latitude": 42.65, "longitude": -73.75,
        "phone": "", "website": "", "hours": hours, "routes_mask": 1, "conditions_mask": 1, "insurance": "none",
        "languages": ["English"], "accessibility": "", "accepting_new_patients": True,
        "telehealth_intake": False, "status": "published", "rating_count": 0, "has_verified_credentials": False,
        "created_at": NEW_YEAR, "updated_at": NEW_YEAR,
    })


def test_every_text_becomes_periods_and_what_is_not_understood_stays_as_a_listed_note(
        alembic_runner, alembic_engine, capsys):
    alembic_runner.migrate_down_to("base")  # the migration tests share one database; start from empty
    alembic_runner.migrate_up_before(HOURS_REVISION)
    for number, (slug, hours) in enumerate(TEXTS.items(), start=1):
        _clinic(alembic_runner, number, slug, hours)

    alembic_runner.migrate_up_one()

    with alembic_engine.connect() as connection:
        rows = {slug: (json.loads(periods) if isinstance(periods, str) else periods, note, bool(evening),
                       bool(weekend))
                for slug, periods, note, evening, weekend in connection.execute(text(
                    "SELECT slug, opening_hours, hours, open_evenings, open_weekends FROM clinic"))}
    assert rows["plain"][0][0] == {"day": 0, "opens": "08:00", "closes": "17:00"}
    assert len(rows["plain"][0]) == 5 and rows["plain"][1:] == ("", False, False)
    assert rows["split-days"][0][1:] == [{"day": 5, "opens": "09:00", "closes": "12:00"},
                                         {"day": 5, "opens": "13:00", "closes": "19:00"}]
    assert rows["split-days"][1:] == ("", True, True)
    assert len(rows["odd"][0]) == 5 and rows["odd"][1] == "evening infusions Thu until 8:00 pm"
    assert rows["appointment"] == ([], "By appointment, Mon-Fri", False, False)
    assert rows["none"] == ([], "", False, False)
    listed = capsys.readouterr().err
    assert "odd" in listed and "appointment" in listed and "plain" not in listed

    alembic_runner.migrate_down_one()
    with alembic_engine.connect() as connection:
        back = dict(connection.execute(text("SELECT slug, hours FROM clinic")).all())
    assert back["split-days"] == "Mon 09:00-17:00; Sat 09:00-12:00,13:00-19:00"
    assert back["odd"] == ("Mon 09:00-17:00; Tue 09:00-17:00; Wed 09:00-17:00; Thu 09:00-17:00; Fri 09:00-17:00; "
                           "evening infusions Thu until 8:00 pm")
    alembic_runner.migrate_down_to("base")
