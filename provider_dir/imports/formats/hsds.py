"""HSDS 3.0 input: a JSON array of service objects, or a Tabular Data Package (folder or .zip) of CSV tables.

Both are validated against the shipped HSDS 3.0 schema (provider_dir/standards/hsds/) and mapped onto our CSV
columns. A package's tables are joined into the same embedded service objects the JSON form holds, so the
schema check and the mapping are one path. A service is one listing: its first physical location's address,
the organization's name (the service's own name when there is no organization), the first phone found on the
service, its location or its organization.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from jsonschema import Draft7Validator

from provider_dir.hours.parse import DAY_ABBREVIATIONS
from provider_dir.imports.errors import Unreadable
from provider_dir.imports.formats.rows import CONDITION_CODES, ROUTE_CODES
from provider_dir.opendata.hsds.cells import unguard

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "standards" / "hsds"
SERVICE_SCHEMA = SCHEMA_DIR / "schema" / "compiled" / "service_with_definitions.json"
CHUNK = 1 << 16
MAX_ERRORS_SHOWN = 3
# HSDS service.status -> the listing's closure; "inactive" (a service not offered now) says nothing about the clinic.
CLOSURE_BY_STATUS = {"active": "open", "temporarily closed": "temporarily_closed", "defunct": "permanently_closed"}
# Tables of a package that we read, by HSDS resource name.
PACKAGE_TABLES = ("service", "organization", "service_at_location", "location", "address", "phone", "language",
                  "cost_option", "schedule", "attribute", "taxonomy_term")
NUMBER_FIELDS = {"latitude", "longitude", "amount"}
DAY_CODES = {code: day for day, code in enumerate(("MO", "TU", "WE", "TH", "FR", "SA", "SU"))}
# The data package's time type cannot say 24:00; 23:59:59 (a second no listing keeps) stands for midnight.
END_OF_DAY_TIMES = {"23:59:59", "24:00", "24:00:00"}


@lru_cache(maxsize=1)
def service_validator() -> Draft7Validator:
    """Return the validator of one HSDS 3.0 service object (with its embedded objects)."""
    return Draft7Validator(json.loads(SERVICE_SCHEMA.read_text(encoding="utf-8")))


def schema_errors(service: dict) -> list[str]:
    """Return what is wrong with a service object by the HSDS schema, at most a few messages."""
    errors = sorted(service_validator().iter_errors(service), key=lambda e: list(e.path))
    messages = []
    for error in errors[:MAX_ERRORS_SHOWN]:
        where = "/".join(str(part) for part in error.path) or "service"
        messages.append(f"HSDS {where}: {error.message}")
    return messages


def _first(items) -> dict:
    return items[0] if isinstance(items, list) and items and isinstance(items[0], dict) else {}


def _location(service: dict) -> dict:
    locations = [link.get("location") for link in service.get("service_at_locations") or []
                 if isinstance(link, dict) and isinstance(link.get("location"), dict)]
    return next((loc for loc in locations if loc.get("location_type") == "physical"), _first(locations))


def _address(location: dict) -> dict:
    addresses = [a for a in location.get("addresses") or [] if isinstance(a, dict)]
    return next((a for a in addresses if a.get("address_type") == "physical"), _first(addresses))


def _codes(service: dict, vocabulary: dict) -> str:
    codes = []
    for attribute in service.get("attributes") or []:
        term = attribute.get("taxonomy_term") if isinstance(attribute, dict) else None
        code = str((term or {}).get("code") or "").strip().lower()
        if code in vocabulary:
            codes.append(code)
    return ";".join(codes)


def _prices(service: dict) -> tuple[str, str]:
    per, series = "", ""
    for option in service.get("cost_options") or []:
        if not isinstance(option, dict) or option.get("amount") is None:
            continue
        amount = option["amount"]
        text = str(int(amount)) if isinstance(amount, (int, float)) and amount == int(amount) else str(amount)
        if "series" in str(option.get("option") or "").lower():
            series = series or text
        else:
            per = per or text
    return per, series


def _clock(value) -> str | None:
    """Return HH:MM of an HSDS time (HH:MM or HH:MM:SS, an offset after it ignored), or None when it is not one."""
    text = str(value or "").strip()
    if text in END_OF_DAY_TIMES:
        return "24:00"
    parts = text[:8].split(":")
    if len(parts) < 2 or not all(p[:2].isdigit() for p in parts[:2]):
        return None
    return f"{int(parts[0][:2]):02d}:{parts[1][:2]}"


def _weekly_periods(schedule: dict) -> list[str] | None:
    """Return a weekly schedule's periods as `Mon 09:00-17:00` parts, or None when it is not a weekly one."""
    if str(schedule.get("freq") or "").upper() != "WEEKLY" or (schedule.get("interval") or 1) != 1:
        return None
    days = [DAY_CODES.get(code.strip().upper()) for code in str(schedule.get("byday") or "").split(",")]
    opens, closes = _clock(schedule.get("opens_at")), _clock(schedule.get("closes_at"))
    if not days or None in days or opens is None or closes is None:
        return None
    return [f"{DAY_ABBREVIATIONS[day]} {opens}-{closes}" for day in days]


def hours_text(schedules: list) -> str:
    """Return a service's or location's schedules as one text of hours: weekly periods first, then the notes.

    Weekly schedules (freq WEEKLY, byday, opens_at, closes_at) become `Mon 09:00-17:00; ...`, which the listing
    reads as periods; a schedule that is not weekly gives its description, and notes follow, each once.
    """
    periods: list[str] = []
    notes: list[str] = []
    for schedule in schedules:
        if not isinstance(schedule, dict):
            continue
        weekly = _weekly_periods(schedule)
        if weekly is not None:
            periods.extend(weekly)
        elif schedule.get("description"):
            notes.append(str(schedule["description"]).strip())
        if schedule.get("notes"):
            notes.append(str(schedule["notes"]).strip())
    return "; ".join(dict.fromkeys(part for part in (*periods, *notes) if part))


def service_row(service: dict) -> dict:
    """Map an HSDS service object onto our CSV columns."""
    organization = service.get("organization") if isinstance(service.get("organization"), dict) else {}
    location = _location(service)
    address = _address(location)
    phone = _first(service.get("phones")) or _first(location.get("phones")) or _first(organization.get("phones"))
    street = ", ".join(p for p in (address.get("address_1"), address.get("address_2")) if p)
    per, series = _prices(service)
    languages = ";".join(str(lang.get("name") or "") for lang in service.get("languages") or []
                         if isinstance(lang, dict) and lang.get("name"))
    schedules = list(service.get("schedules") or []) + list(location.get("schedules") or [])
    row = {
        "source_id": str(service.get("id") or ""),
        "name": str(organization.get("name") or service.get("name") or ""),
        "street": street,
        "city": str(address.get("city") or ""),
        "state": str(address.get("state_province") or ""),
        "zip": str(address.get("postal_code") or ""),
        "phone": str(phone.get("number") or ""),
        "website": str(service.get("url") or organization.get("website") or ""),
        "description": str(service.get("description") or organization.get("description") or ""),
        "hours": hours_text(schedules),
        "routes": _codes(service, ROUTE_CODES),
        "conditions": _codes(service, CONDITION_CODES),
        "price_per_infusion": per,
        "price_per_series": series,
        "languages": languages,
    }
    if not languages:
        del row["languages"]
    if isinstance(location.get("latitude"), (int, float)) and isinstance(location.get("longitude"), (int, float)):
        row["latitude"], row["longitude"] = location["latitude"], location["longitude"]
    closure = CLOSURE_BY_STATUS.get(str(service.get("status") or ""))
    if closure:
        row["closure"] = closure
    return row


def checked_row(service) -> dict:
    """Validate a service object and map it; a failing object becomes a row carrying its errors."""
    if not isinstance(service, dict):
        return {"__error__": "HSDS: each item of the array must be a service object."}
    errors = schema_errors(service)
    if errors:
        return {"__error__": "; ".join(errors), "source_id": str(service.get("id") or "")}
    return service_row(service)


# ---- a JSON array of services, read item by item ----

def check_json_start(path: Path) -> None:
    """Refuse a JSON file whose first item is not an object (the rest is checked as it is read)."""
    try:
        first = next(_json_items(path), None)
    except ValueError as exc:
        raise Unreadable(f"The JSON file cannot be read: {exc}.") from exc
    if first is not None and not isinstance(first, dict):
        raise Unreadable("The JSON file should be an array of HSDS service objects.")


def _json_items(path: Path) -> Iterator:
    """Yield the items of a top-level JSON array, decoding one at a time from a bounded buffer."""
    decoder = json.JSONDecoder()
    with path.open("r", encoding="utf-8-sig") as handle:
        buffer, position, ended = handle.read(CHUNK), 0, False
        position = buffer.index("[") + 1
        while True:
            while position < len(buffer) and buffer[position] in " \t\r\n,":
                position += 1
            if position < len(buffer) and buffer[position] == "]":
                return
            try:
                item, end = decoder.raw_decode(buffer, position)
            except json.JSONDecodeError:
                more = handle.read(CHUNK)
                if not more:
                    if ended or position >= len(buffer):
                        raise ValueError("the array is not closed with ]") from None
                    ended = True
                    raise ValueError(f"invalid JSON near character {position}") from None
                buffer, position = buffer[position:] + more, 0
                continue
            yield item
            buffer, position = buffer[end:], 0
            if len(buffer) < CHUNK:
                buffer += handle.read(CHUNK)


def json_rows(path: Path) -> Iterator[tuple[str, dict]]:
    """Yield ('item N', row) for each service of a JSON array."""
    number = 0
    try:
        for number, service in enumerate(_json_items(path), start=1):
            yield f"item {number}", checked_row(service)
    except ValueError as exc:
        yield f"item {number + 1}", {"__error__": f"the rest of the file cannot be read ({exc})"}


# ---- a Tabular Data Package ----

@dataclass
class Package:
    """A data package's tables, read by resource name from a folder or a .zip."""

    path: Path
    paths: dict[str, str]
    service_columns: list[str] = field(default_factory=list)

    def open(self, resource: str) -> io.TextIOWrapper | None:
        """Open a resource's CSV as text, or None when the package has no such table."""
        name = self.paths.get(resource)
        if name is None:
            return None
        if self.path.is_dir():
            target = (self.path / name).resolve()
            if self.path.resolve() not in target.parents or not target.is_file():
                return None
            return target.open("r", encoding="utf-8-sig", newline="")
        archive = zipfile.ZipFile(self.path)
        member = _zip_member(archive, name)
        if member is None:
            return None
        return io.TextIOWrapper(archive.open(member), encoding="utf-8-sig", newline="")


def _zip_member(archive: zipfile.ZipFile, name: str) -> str | None:
    names = archive.namelist()
    return next((n for n in names if n == name or n.endswith("/" + name)), None)


def open_package(path: Path) -> Package:
    """Read datapackage.json and check the package has a services table."""
    try:
        if path.is_dir():
            descriptor_path = path / "datapackage.json"
            if not descriptor_path.is_file():
                raise Unreadable("The folder has no datapackage.json, so it is not an HSDS data package.")
            descriptor = json.loads(descriptor_path.read_text(encoding="utf-8-sig"))
        else:
            with zipfile.ZipFile(path) as archive:
                member = _zip_member(archive, "datapackage.json")
                if member is None:
                    raise Unreadable("The .zip has no datapackage.json, so it is not an HSDS data package.")
                descriptor = json.loads(archive.read(member).decode("utf-8-sig"))
    except zipfile.BadZipFile as exc:
        raise Unreadable("The file is not a readable .zip archive.") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise Unreadable(f"datapackage.json cannot be read as JSON: {exc}.") from exc
    resources = descriptor.get("resources") if isinstance(descriptor, dict) else None
    if not isinstance(resources, list):
        raise Unreadable("datapackage.json lists no resources.")
    paths = {str(r.get("name")): str(r.get("path")) for r in resources
             if isinstance(r, dict) and r.get("name") in PACKAGE_TABLES and isinstance(r.get("path"), str)}
    package = Package(path, paths)
    handle = package.open("service")
    if handle is None:
        raise Unreadable("The data package has no service table (services.csv).")
    with handle:
        package.service_columns = next(csv.reader(handle), [])
    return package


def _table(package: Package, resource: str) -> list[dict]:
    handle = package.open(resource)
    if handle is None:
        return []
    with handle:
        return [{k: unguard(v) for k, v in row.items() if k and v not in (None, "")} for row in csv.DictReader(handle)]


def _typed(row: dict) -> dict:
    typed = dict(row)
    for name in NUMBER_FIELDS & typed.keys():
        with contextlib.suppress(ValueError):  # left as text: the schema check names it
            typed[name] = float(typed[name])
    return typed


def _grouped(rows: list[dict], key: str) -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        if row.get(key):
            grouped[row[key]].append(_typed(row))
    return grouped


def package_rows(path: Path) -> Iterator[tuple[str, dict]]:
    """Yield ('services.csv line N', row) for each service of a package, its related tables joined in.

    The related tables are held in memory (a package of 1,800 clinics is a few megabytes); services stream.
    """
    package = open_package(path)
    organizations = {row["id"]: _typed(row) for row in _table(package, "organization") if row.get("id")}
    locations = {row["id"]: _typed(row) for row in _table(package, "location") if row.get("id")}
    links = _grouped(_table(package, "service_at_location"), "service_id")
    addresses = _grouped(_table(package, "address"), "location_id")
    phone_rows = _table(package, "phone")
    phones = {key: _grouped(phone_rows, key) for key in ("service_id", "location_id", "organization_id")}
    languages = _grouped(_table(package, "language"), "service_id")
    costs = _grouped(_table(package, "cost_option"), "service_id")
    schedules = _grouped(_table(package, "schedule"), "service_id")
    terms = {row["id"]: row for row in _table(package, "taxonomy_term") if row.get("id")}
    attributes = _grouped(_table(package, "attribute"), "link_id")
    handle = package.open("service")
    with handle:
        reader = csv.DictReader(handle)
        for row in reader:
            service = {k: unguard(v) if isinstance(v, str) else v for k, v in _typed(row).items()
                       if k and v not in (None, "")}
            sid = service.get("id", "")
            if service.get("organization_id") in organizations:
                org = dict(organizations[service["organization_id"]])
                org["phones"] = phones["organization_id"].get(org["id"], [])
                service["organization"] = org
            service["service_at_locations"] = []
            for link in links.get(sid, []):
                location = locations.get(link.get("location_id", ""))
                if location is not None:
                    location = {**location, "addresses": addresses.get(location["id"], []),
                                "phones": phones["location_id"].get(location["id"], [])}
                    service["service_at_locations"].append({**link, "location": location})
            service["phones"] = phones["service_id"].get(sid, [])
            service["languages"] = languages.get(sid, [])
            service["cost_options"] = costs.get(sid, [])
            service["schedules"] = schedules.get(sid, [])
            service["attributes"] = [{**a, "taxonomy_term": terms[a["taxonomy_term_id"]]}
                                     for a in attributes.get(sid, []) if a.get("taxonomy_term_id") in terms]
            yield f"services.csv line {reader.line_num}", checked_row(service)


def count_services(path: Path, is_json: bool) -> int:
    """Return how many services a JSON array or a package's services table holds (for a progress bar)."""
    try:
        if is_json:
            return sum(1 for _ in _json_items(path))
        handle = open_package(path).open("service")
        with handle:
            return max(sum(1 for _ in csv.reader(handle)) - 1, 0)
    except (ValueError, Unreadable):
        return 0
