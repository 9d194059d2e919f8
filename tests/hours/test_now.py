"""Open now or closed now, in the clinic's own zone, on ordinary days and on the days the clocks change."""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from provider_dir.hours.now import fresh_until, open_now, twelve_hour
from provider_dir.hours.parse import END_OF_DAY, Period, parse_hours

NEW_YORK, PHOENIX, DENVER, HONOLULU = (ZoneInfo(n) for n in ("America/New_York", "America/Phoenix",
                                                             "America/Denver", "Pacific/Honolulu"))
DAILY_9_TO_5 = parse_hours("daily 09:00-17:00").periods


def at(text: str) -> datetime:
    """An instant in UTC, e.g. "2026-03-08 13:30"."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(("instant", "is_open", "says"), [
    # 2026-03-08: clocks go forward at 2 am; 13:30 UTC is 9:30 am EDT (8:30 am had the offset stayed EST).
    ("2026-03-08 13:30", True, "Open now: closes at 5:00 pm"),
    ("2026-03-08 12:30", False, "Closed now: opens at 9:00 am"),
    # 2026-11-01: clocks go back at 2 am; 13:30 UTC is 8:30 am EST (9:30 am had the offset stayed EDT).
    ("2026-11-01 13:30", False, "Closed now: opens at 9:00 am"),
    ("2026-11-01 14:00", True, "Open now: closes at 5:00 pm"),
    ("2026-11-01 21:59", True, "Open now: closes at 5:00 pm"),
    ("2026-11-01 22:00", False, "Closed now: opens tomorrow at 9:00 am"),
])
def test_new_york_on_the_days_the_clocks_change(instant, is_open, says):
    state = open_now(DAILY_9_TO_5, NEW_YORK, at(instant))
    assert (state.is_open, state.describe()) == (is_open, says)


def test_the_next_change_is_counted_in_real_time_across_the_spring_forward_night():
    state = open_now(DAILY_9_TO_5, NEW_YORK, at("2026-03-08 02:00"))  # 9 pm EST on Saturday
    assert state.changes_at.astimezone(UTC) == at("2026-03-08 13:00")  # 9 am EDT on Sunday
    assert fresh_until(state) == at("2026-03-08 05:00")  # midnight EST, when Sunday's row becomes today


def test_arizona_keeps_standard_time_all_summer_where_denver_does_not():
    summer_evening = at("2026-07-01 23:30")  # 4:30 pm in Phoenix, 5:30 pm in Denver
    assert open_now(DAILY_9_TO_5, PHOENIX, summer_evening).describe() == "Open now: closes at 5:00 pm"
    assert open_now(DAILY_9_TO_5, DENVER, summer_evening).describe() == "Closed now: opens tomorrow at 9:00 am"
    winter_evening = at("2026-01-14 23:30")  # 4:30 pm in both
    assert open_now(DAILY_9_TO_5, DENVER, winter_evening).is_open


def test_hawaii_is_ten_hours_behind_utc_and_its_today_is_the_day_before_ours():
    weekdays = parse_hours("Mon-Fri 08:00-16:00").periods
    state = open_now(weekdays, HONOLULU, at("2026-12-05 01:00"))  # Saturday in UTC, Friday 3 pm in Honolulu
    assert state.today == 4 and state.is_open
    assert state.describe() == "Open now: closes at 4:00 pm"
    later = open_now(weekdays, HONOLULU, at("2026-12-05 03:00"))
    assert later.describe() == "Closed now: opens Monday at 8:00 am"


def test_several_periods_a_day_and_the_lunch_break():
    split = parse_hours("Tue 09:00-12:00,13:00-19:00").periods
    lunch = open_now(split, NEW_YORK, at("2026-12-01 17:30"))  # Tuesday 12:30 pm EST
    assert lunch.describe() == "Closed now: opens at 1:00 pm"
    assert open_now(split, NEW_YORK, at("2026-12-01 23:30")).describe() == "Open now: closes at 7:00 pm"


def test_open_through_midnight_closes_the_next_morning():
    late = [Period(4, time(18), END_OF_DAY), Period(5, time(0), time(2))]
    state = open_now(late, NEW_YORK, at("2026-12-05 03:00"))  # Friday 10 pm EST
    assert state.describe() == "Open now: closes tomorrow at 2:00 am"
    midnight_close = open_now([Period(4, time(18), END_OF_DAY)], NEW_YORK, at("2026-12-05 03:00"))
    assert midnight_close.describe() == "Open now: closes at midnight"


def test_no_periods_is_closed_with_no_next_opening_and_the_page_ages_at_midnight():
    state = open_now([], NEW_YORK, at("2026-12-01 17:30"))
    assert not state.is_open and state.changes_at is None and state.describe() == "Closed now"
    assert fresh_until(state) == at("2026-12-02 05:00")


@pytest.mark.parametrize(("moment", "text"), [(time(9), "9:00 am"), (time(12, 30), "12:30 pm"),
                                               (time(0, 15), "12:15 am"), (END_OF_DAY, "midnight")])
def test_times_read_the_american_way(moment, text):
    assert twelve_hour(moment) == text
