"""Read the OIG LEIE exclusions file (UPDATED.csv)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

from provider_dir.registry.checks.names import first_word, name_key
from provider_dir.registry.files.opening import BadFile, open_table, rows_checked

COLUMNS = ["LASTNAME", "FIRSTNAME", "MIDNAME", "BUSNAME", "GENERAL", "SPECIALTY", "UPIN", "NPI", "DOB", "ADDRESS",
           "CITY", "STATE", "ZIP", "EXCLTYPE", "EXCLDATE", "REINDATE", "WAIVERDATE", "WVRSTATE"]
TEXT = {"last_name": ("LASTNAME", 60), "first_name": ("FIRSTNAME", 60), "middle_name": ("MIDNAME", 60),
        "business_name": ("BUSNAME", 200), "general": ("GENERAL", 60), "specialty": ("SPECIALTY", 60),
        "city": ("CITY", 60), "state": ("STATE", 2), "exclusion_type": ("EXCLTYPE", 20)}


def parse_leie_date(value: str, row: int) -> date | None:
    """Return a LEIE date (YYYYMMDD), None for an empty cell or 00000000; refuse anything else."""
    value = value.strip()
    if not value or value == "00000000":
        return None
    try:
        return date(int(value[0:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        raise BadFile(f'row {row}: "EXCLDATE" holds {value[:20]!r}, not a date YYYYMMDD.') from None


def read_leie(path: Path, progress: Callable[[int], None] | None = None, counts: dict | None = None
              ) -> Iterator[dict]:
    """Yield every exclusion as a dict of LeieRecord fields."""
    handle, lines, reader, index, width = open_table(path, COLUMNS, "an OIG LEIE exclusions file")
    with handle:
        at = {field: (index[column], size) for field, (column, size) in TEXT.items()}
        npi_at, date_at = index["NPI"], index["EXCLDATE"]
        read = 0
        for number, row in rows_checked(path, reader, width, lines, progress):
            read += 1
            record = {field: row[i].strip()[:size] for field, (i, size) in at.items()}
            npi = row[npi_at].strip()
            record["npi"] = "" if not npi.strip("0") else npi[:10]
            record["excluded_on"] = parse_leie_date(row[date_at], number)
            record["last_key"] = name_key(record["last_name"])[:60]
            record["first_key"] = first_word(record["first_name"])
            yield record
        if counts is not None:
            counts["read"] = read
