"""Read the NPPES NPI data file by column name, keeping only the rows the site needs."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

from provider_dir.registry.files.opening import BadFile, open_table, rows_checked
from provider_dir.registry.files.taxonomy import INDIVIDUAL_TAXONOMIES, ORGANISATION_TAXONOMIES

SLOTS = range(1, 16)
PRACTICE = "Provider {} Business Practice Location Address"
# Column names, by the name this module uses for each field.
FIELDS = {
    "npi": "NPI",
    "entity_type": "Entity Type Code",
    "replacement_npi": "Replacement NPI",
    "organization_name": "Provider Organization Name (Legal Business Name)",
    "last_name": "Provider Last Name (Legal Name)",
    "first_name": "Provider First Name",
    "middle_name": "Provider Middle Name",
    "name_suffix": "Provider Name Suffix Text",
    "credential_text": "Provider Credential Text",
    "address": "Provider First Line Business Practice Location Address",
    "city": "Provider Business Practice Location Address City Name",
    "state": "Provider Business Practice Location Address State Name",
    "postal_code": "Provider Business Practice Location Address Postal Code",
    "telephone": "Provider Business Practice Location Address Telephone Number",
    "last_update": "Last Update Date",
    "deactivated_on": "NPI Deactivation Date",
    "reactivated_on": "NPI Reactivation Date",
}
SEX_COLUMNS = ("Provider Sex Code", "Provider Gender Code")  # newer files, older files
TAXONOMY = "Healthcare Provider Taxonomy Code_{}"
LICENCE = "Provider License Number_{}"
LICENCE_STATE = "Provider License Number State Code_{}"
PRIMARY = "Healthcare Provider Primary Taxonomy Switch_{}"
REQUIRED = [*FIELDS.values()] + [f.format(n) for n in SLOTS for f in (TAXONOMY, LICENCE, LICENCE_STATE, PRIMARY)]
DATE_FIELDS = ("last_update", "deactivated_on", "reactivated_on")
# Longest value kept per text field (the "V2" file's names are longer than the columns here).
WIDTHS = {"replacement_npi": 10, "last_name": 60, "first_name": 60, "middle_name": 60, "name_suffix": 10,
          "credential_text": 40, "organization_name": 200, "address": 120, "city": 60, "state": 40,
          "postal_code": 20, "telephone": 20}


def parse_date(value: str, column: str, row: int) -> date | None:
    """Return an NPPES date (MM/DD/YYYY), None for an empty cell; refuse anything else."""
    if not value:
        return None
    try:
        return date(int(value[6:10]), int(value[0:2]), int(value[3:5]))
    except ValueError:
        raise BadFile(f'row {row}: "{column}" holds {value[:20]!r}, not a date MM/DD/YYYY.') from None


def read_nppes(path: Path, keep_npis: set[str], progress: Callable[[int], None] | None = None,
               counts: dict | None = None) -> Iterator[dict]:
    """Yield the kept rows as dicts of NppesRecord fields (counts["read"] gets the number of rows read).

    Kept: every NPI in keep_npis; individuals with one of taxonomy.INDIVIDUAL_TAXONOMIES; organisations with one
    of taxonomy.ORGANISATION_TAXONOMIES; deactivated NPIs (a deactivated row carries nothing else, yet "this
    NPI was deactivated" is the answer a check needs).
    """
    handle, lines, reader, index, width = open_table(path, REQUIRED, "an NPPES NPI data file")
    with handle:
        sex_at = next((index[c] for c in SEX_COLUMNS if c in index), None)
        if sex_at is None:
            raise BadFile(f'{path.name} is not an NPPES NPI data file: it has neither "Provider Sex Code" nor '
                          '"Provider Gender Code".')
        at = {field: index[column] for field, column in FIELDS.items()}
        slots = [(index[TAXONOMY.format(n)], index[LICENCE.format(n)], index[LICENCE_STATE.format(n)],
                  index[PRIMARY.format(n)]) for n in SLOTS]
        tax_at = [s[0] for s in slots]
        npi_at, type_at, deact_at = at["npi"], at["entity_type"], at["deactivated_on"]
        people, places = INDIVIDUAL_TAXONOMIES.keys(), ORGANISATION_TAXONOMIES.keys()
        text_fields = [(f, at[f], WIDTHS[f]) for f in WIDTHS]
        read = 0
        seen: set[str] = set()
        for number, row in rows_checked(path, reader, width, lines, progress):
            read += 1
            npi = row[npi_at]
            kind = row[type_at]
            if npi not in keep_npis and not row[deact_at]:
                wanted = people if kind == "1" else places if kind == "2" else ()
                if not any(row[i] in wanted for i in tax_at):
                    continue
            if len(npi) != 10 or not npi.isdigit():
                raise BadFile(f'{path.name}, row {number}: "NPI" holds {npi[:20]!r}, not a 10-digit NPI.')
            if npi in seen:
                raise BadFile(f"{path.name}, row {number}: NPI {npi} appears twice.")
            seen.add(npi)
            record = {f: row[i][:w] for f, i, w in text_fields}
            record["npi"] = npi
            record["entity_type"] = int(kind) if kind in ("1", "2") else None
            record["sex"] = row[sex_at][:1]
            for field in DATE_FIELDS:
                record[field] = parse_date(row[at[field]], FIELDS[field], number)
            record["taxonomies"] = [[row[t], row[lic][:30], row[st][:2], row[p][:1]]
                                    for t, lic, st, p in slots if row[t] or row[lic]]
            yield record
        if counts is not None:
            counts["read"] = read
