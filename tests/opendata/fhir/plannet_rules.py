"""Read the rules a resource must meet from Plan-Net's own FHIR Shorthand files (shipped in plannet/).

Only the rules that can be read without a full FSH compiler: cardinalities (`* path 1..1`), fixed values
(`* path = value`), required value-set bindings (`* path from VS (required)`), value sets' listed codes,
code systems' codes and the ids of extensions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

FOLDER = Path(__file__).parent / "plannet"
PLAN_NET = "http://hl7.org/fhir/us/davinci-pdex-plan-net"
_COMMENTS = re.compile(r"/\*.*?\*/|(?:^|(?<=\s))//[^\n]*", re.S | re.M)
_CARDINALITY = re.compile(r"^\* (?P<path>[\w.\[\]-]+) (?P<min>\d+)\.\.(?P<max>\d+|\*)")
_FIXED = re.compile(r"^\* (?P<path>[\w.\[\]-]+) = (?P<value>\S+)")
_BINDING = re.compile(r"^\* (?P<path>[\w.\[\]-]+) from (?P<vs>\w+) \((?P<strength>\w+)\)")


@dataclass
class Profile:
    """One Plan-Net profile's readable rules."""

    name: str
    resource_type: str
    id: str
    cardinalities: dict[str, tuple[int, str]] = field(default_factory=dict)
    fixed: dict[str, str] = field(default_factory=dict)
    required_bindings: dict[str, str] = field(default_factory=dict)


def _blocks(text: str, keyword: str) -> list[tuple[str, list[str]]]:
    """Return (name, lines) for each `keyword: name` block of an FSH file."""
    blocks, current = [], None
    for raw in _COMMENTS.sub("", text).splitlines():
        line = raw.strip()
        if re.match(r"^(Profile|Extension|CodeSystem|ValueSet|Invariant|Instance|Alias|RuleSet|Mapping):", line):
            current = None
            if line.startswith(f"{keyword}:"):
                current = (line.split(":", 1)[1].strip(), [])
                blocks.append(current)
            continue
        if current is not None and line:
            current[1].append(line)
    return blocks


def _read(name: str) -> str:
    return (FOLDER / name).read_text(encoding="utf-8")


@cache
def aliases() -> dict[str, str]:
    """Return the FSH aliases ($NUCCProviderTaxonomy -> http://nucc.org/provider-taxonomy)."""
    found = {}
    for line in _COMMENTS.sub("", _read("Aliases.fsh")).splitlines():
        match = re.match(r"^Alias:\s*(\S+)\s*=\s*(\S+)", line.strip())
        if match:
            found[match.group(1)] = match.group(2)
    return found


@cache
def profiles() -> dict[str, Profile]:
    """Return the profiles of PlanNet.fsh by resource type name (Practitioner, Location, ...)."""
    found = {}
    for name, lines in _blocks(_read("PlanNet.fsh"), "Profile"):
        parent = next(line.split(":", 1)[1].split("//")[0].strip() for line in lines if line.startswith("Parent:"))
        pid = next(line.split(":", 1)[1].strip() for line in lines if line.startswith("Id:"))
        profile = Profile(name, pid.removeprefix("plannet-"), pid)
        for line in lines:
            if m := _CARDINALITY.match(line):
                profile.cardinalities[m["path"]] = (int(m["min"]), m["max"])
            elif m := _FIXED.match(line):
                profile.fixed[m["path"]] = m["value"]
            elif (m := _BINDING.match(line)) and m["strength"] == "required":
                profile.required_bindings[m["path"]] = m["vs"]
        found[profile.resource_type] = profile
        assert parent  # every profile names its parent (a base resource or a US Core profile)
    return found


@cache
def extension_ids() -> set[str]:
    """Return the ids of the extensions Plan-Net defines (newpatients, practitioner-qualification, ...)."""
    ids = set()
    for _name, lines in _blocks(_read("Extensions.fsh"), "Extension"):
        ids.update(line.split(":", 1)[1].strip() for line in lines if line.startswith("Id:"))
    return ids


@cache
def code_systems() -> dict[str, set[str]]:
    """Return each Plan-Net code system's codes by its name (OrgTypeCS -> {"fac", "prvgrp", ...})."""
    return {name.split()[0]: {m.group(1) for line in lines if (m := re.match(r"^\* #([\w-]+)", line))}
            for name, lines in _blocks(_read("CodeSystems.fsh"), "CodeSystem")}


@cache
def value_set_codes(name: str) -> set[tuple[str, str]]:
    """Return the (system, code) pairs a Plan-Net value set lists, following `codes from valueset` includes."""
    blocks = dict(_blocks(_read("ValueSets.fsh"), "ValueSet"))
    codes: set[tuple[str, str]] = set()
    excluded: set[tuple[str, str]] = set()
    for line in blocks[name]:
        if m := re.match(r"^\* codes from valueset (\w+)", line):
            codes |= value_set_codes(m.group(1))
        elif (m := re.match(r"^\* codes from system (\w+)", line)) and m.group(1) in code_systems():
            codes |= {(f"{PLAN_NET}/CodeSystem/{m.group(1)}", code) for code in code_systems()[m.group(1)]}
        elif m := re.match(r"^\* exclude (\w+)#([\w-]+)", line):
            excluded.add((f"{PLAN_NET}/CodeSystem/{m.group(1)}", m.group(2)))
        elif m := re.match(r"^\* (\$?[\w:/.-]+)#([\w-]+)", line):
            codes.add((aliases().get(m.group(1), m.group(1)), m.group(2)))
    return codes - excluded


def values_at(resource: dict, path: str) -> list:
    """Return every value at a dotted path (lists flattened); `x[name]` selects extensions by url ending."""
    current = [resource]
    for step in path.split("."):
        name, _, slice_name = step.partition("[")
        slice_name = slice_name.rstrip("]")
        found = []
        for item in current:
            value = item.get(name) if isinstance(item, dict) else None
            values = value if isinstance(value, list) else [] if value is None else [value]
            if slice_name and name == "extension":
                values = [v for v in values if v.get("url", "").rsplit("/", 1)[-1] in (slice_name, _ext(slice_name))]
            found.extend(values)
        current = found
    return current


def _ext(slice_name: str) -> str:
    return {"deliverymethod": "delivery-method"}.get(slice_name, slice_name)
