"""The NUCC Health Care Provider Taxonomy codes whose NPPES rows are kept when a file is loaded.

Source: the NUCC Health Care Provider Taxonomy code set (https://taxonomy.nucc.org/), version 24.1, as
listed in the project's registries note; the professions that give or supervise ketamine treatment, and
the organisations that run infusion, mental-health or pain clinics.
"""

from __future__ import annotations

SOURCE = "NUCC Health Care Provider Taxonomy code set, version 24.1 (https://taxonomy.nucc.org/)"

# Individuals (Entity Type Code 1).
INDIVIDUAL_TAXONOMIES: dict[str, str] = {
    "207L00000X": "Anesthesiology (physician)",
    "207LP2900X": "Pain medicine (anesthesiology)",
    "2084P0800X": "Psychiatry",
    "2084P0802X": "Addiction psychiatry",
    "367500000X": "Certified registered nurse anesthetist",
    "363LP0808X": "Psychiatric/mental health nurse practitioner",
    "363L00000X": "Nurse practitioner",
    "363LF0000X": "Family nurse practitioner",
    "363A00000X": "Physician assistant",
    "163W00000X": "Registered nurse",
    "163WP0808X": "Psychiatric/mental health registered nurse",
    "207P00000X": "Emergency medicine",
    "208VP0000X": "Pain medicine",
}

# Organisations (Entity Type Code 2).
ORGANISATION_TAXONOMIES: dict[str, str] = {
    "261QI0500X": "Infusion therapy clinic/center",
    "261QM0801X": "Mental health clinic/center",
    "261QP3300X": "Pain clinic/center",
}

ALL_TAXONOMIES = {**INDIVIDUAL_TAXONOMIES, **ORGANISATION_TAXONOMIES}


def describe(code: str) -> str:
    """Return the words for a taxonomy code, or the code itself when it is not one of ours."""
    return ALL_TAXONOMIES.get(code, code)
