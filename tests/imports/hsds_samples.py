"""HSDS 3.0 samples: one service as a JSON object, and the same data as a Tabular Data Package."""

from __future__ import annotations

import csv
import json
import shutil
import zipfile
from pathlib import Path

from provider_dir.imports.formats.hsds import SCHEMA_DIR


def service(sid: str = "svc-1", name: str = "Harbor Ketamine Clinic", zip_code: str = "02108",
            phone: str = "617-555-0142", **extra) -> dict:
    """Return an HSDS service with its organization, location, address and phone embedded."""
    return {
        "id": sid, "name": "Ketamine infusion therapy", "status": "active",
        "description": "IV ketamine for depression.", "url": f"https://{sid}.example.org",
        "organization": {"id": f"org-{sid}", "name": name, "description": "A clinic."},
        "phones": [{"id": f"ph-{sid}", "number": phone}],
        "cost_options": [{"id": f"co-{sid}", "option": "Single infusion", "amount": 495, "currency": "USD"},
                         {"id": f"co2-{sid}", "option": "Series of six", "amount": 2700, "currency": "USD"}],
        "languages": [{"id": f"la-{sid}", "name": "English"}, {"id": f"lb-{sid}", "name": "Portuguese"}],
        "attributes": [{"id": f"at-{sid}", "taxonomy_term": {"id": "t1", "code": "iv_infusion", "name": "IV",
                                                              "description": "IV infusion"}}],
        "service_at_locations": [{"id": f"sal-{sid}", "location": {
            "id": f"loc-{sid}", "location_type": "physical", "name": name,
            "addresses": [{"id": f"ad-{sid}", "address_1": "1 Beacon St", "city": "Boston",
                           "state_province": "MA", "postal_code": zip_code, "country": "US",
                           "address_type": "physical"}],
        }}],
        **extra,
    }


def write_json(path: Path, services: list) -> Path:
    """Write a JSON array of services."""
    path.write_text(json.dumps(services, indent=1), encoding="utf-8")
    return path


def _write(path: Path, columns: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def write_package(folder: Path, services: list[dict]) -> Path:
    """Write services as an HSDS data package (the shipped datapackage.json plus one CSV per table)."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(SCHEMA_DIR / "datapackage.json", folder / "datapackage.json")
    tables: dict[str, list[dict]] = {name: [] for name in ("services", "organizations", "locations", "addresses",
                                                            "phones", "service_at_location", "cost_options",
                                                            "languages")}
    for s in services:
        org, link = s["organization"], s["service_at_locations"][0]
        location = link["location"]
        tables["services"].append({"id": s["id"], "organization_id": org["id"], "name": s["name"],
                                   "description": s["description"], "url": s["url"], "status": s["status"]})
        tables["organizations"].append({"id": org["id"], "name": org["name"], "description": org["description"]})
        tables["locations"].append({"id": location["id"], "location_type": "physical", "name": location["name"]})
        tables["addresses"].append({**location["addresses"][0], "location_id": location["id"]})
        tables["phones"].append({**s["phones"][0], "service_id": s["id"]})
        tables["service_at_location"].append({"id": link["id"], "service_id": s["id"], "location_id": location["id"]})
        for option in s["cost_options"]:
            tables["cost_options"].append({**option, "service_id": s["id"]})
        for language in s["languages"]:
            tables["languages"].append({**language, "service_id": s["id"]})
    for name, rows in tables.items():
        columns = list(dict.fromkeys(k for r in rows for k in r)) or ["id"]
        _write(folder / f"{name}.csv", columns, rows)
    return folder


def zip_folder(folder: Path, target: Path) -> Path:
    """Zip a package folder."""
    with zipfile.ZipFile(target, "w") as archive:
        for path in folder.iterdir():
            archive.write(path, path.name)
    return target
