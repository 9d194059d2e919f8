"""Opening hours read from the import format and from the free text clinics typed, and written back."""

import json
from datetime import time

import pytest

from provider_dir.config import PROJECT_ROOT
from provider_dir.hours.parse import (
    END_OF_DAY,
    Period,
    format_periods,
    open_evenings,
    open_weekends,
    parse_hours,
    periods_from_json,
    periods_to_json,
)

IMPORT_FORMAT = "Mon 09:00-17:00; Tue 09:00-12:00,13:00-19:00"


def test_the_import_format_gives_each_period_and_is_written_back_the_same():
    parsed = parse_hours(IMPORT_FORMAT)
    assert parsed.understood and parsed.note == ""
    assert parsed.periods == [Period(0, time(9), time(17)), Period(1, time(9), time(12)),
                              Period(1, time(13), time(19))]
    assert format_periods(parsed.periods) == IMPORT_FORMAT


@pytest.mark.parametrize(("text", "expected"), [
    ("Mon-Fri 8:00 am-5:00 pm", "Mon 08:00-17:00; Tue 08:00-17:00; Wed 08:00-17:00; Thu 08:00-17:00; "
                                "Fri 08:00-17:00"),
    ("Mon, Wed, Fri 8:30 am-4:30 pm; Tue, Thu 10:00 am-7:00 pm",
     "Mon 08:30-16:30; Tue 10:00-19:00; Wed 08:30-16:30; Thu 10:00-19:00; Fri 08:30-16:30"),
    ("Sat 9am - 1pm", "Sat 09:00-13:00"),
    ("Fri-Sun 9-5", "Fri 09:00-17:00; Sat 09:00-17:00; Sun 09:00-17:00"),
    ("Sat noon-midnight; Sun closed", "Sat 12:00-24:00"),
    ("weekends 10:00-14:00", "Sat 10:00-14:00; Sun 10:00-14:00"),
    ("Thursday 12:30 pm to 8 pm", "Thu 12:30-20:00"),
])
def test_free_text_people_type_is_understood(text, expected):
    parsed = parse_hours(text)
    assert parsed.understood, parsed.note
    assert format_periods(parsed.periods) == expected


def test_what_is_not_periods_stays_as_the_note_and_the_rest_is_still_read():
    parsed = parse_hours("Mon-Fri 10:00 am-6:00 pm; first Saturday of the month 9:00 am-2:00 pm")
    assert not parsed.understood
    assert len(parsed.periods) == 5
    assert parsed.note == "first Saturday of the month 9:00 am-2:00 pm"
    appointment = parse_hours("By appointment, Mon-Fri")
    assert (appointment.periods, appointment.note) == ([], "By appointment, Mon-Fri")


@pytest.mark.parametrize("text", ["Mon 17:00-09:00", "Mon 25:00-26:00", "Mon 9:75-10:00", "Funday 9-5"])
def test_impossible_times_are_not_taken_as_periods(text):
    parsed = parse_hours(text)
    assert parsed.periods == [] and parsed.note == text


def test_overlapping_periods_of_a_day_are_joined():
    parsed = parse_hours("Mon 09:00-13:00,12:00-17:00; Mon 17:00-19:00")
    assert parsed.periods == [Period(0, time(9), time(19))]


def test_evenings_mean_open_past_six_and_weekends_mean_saturday_or_sunday():
    assert not open_evenings(parse_hours("Mon-Fri 9:00 am-6:00 pm").periods)
    assert open_evenings(parse_hours("Thu 10:00 am-7:00 pm").periods)
    assert not open_weekends(parse_hours("Mon-Fri 9-5").periods)
    assert open_weekends(parse_hours("Sun 10-2").periods)


def test_stored_periods_read_back_the_same_with_midnight_as_24_00():
    periods = [Period(0, time(9), time(17)), Period(5, time(18), END_OF_DAY)]
    stored = periods_to_json(periods)
    assert stored[1] == {"day": 5, "opens": "18:00", "closes": "24:00"}
    assert periods_from_json(json.loads(json.dumps(stored))) == periods


def test_every_demo_clinics_hours_convert_and_the_odd_ones_are_the_known_notes():
    clinics = json.loads((PROJECT_ROOT / "seeds" / "demo" / "clinics.json").read_text())
    odd = {}
    for clinic in clinics:
        parsed = parse_hours(clinic["hours"])
        assert parsed.periods or parsed.note, clinic["slug"]
        if not parsed.understood:
            odd[clinic["hours"]] = parsed
    assert sorted(odd) == [
        "By appointment, Mon-Fri",
        "Mon-Fri 10:00 am-6:00 pm; first Saturday of the month 9:00 am-2:00 pm",
        "Mon-Fri 9:00 am-5:00 pm; evening infusions Thu until 8:00 pm",
    ]
    assert all(parsed.periods for text, parsed in odd.items() if text.startswith("Mon-Fri"))
