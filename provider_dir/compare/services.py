"""Which clinics a comparison asks for, and everything shown about each: no Flask, only a session.

The score, the rating figures and the credential statuses come from the services the clinic page uses
(scoring.services, reviews.figures, api.serializers), so a comparison never disagrees with a clinic's page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from provider_dir.api.serializers import credential_json
from provider_dir.credentials.models import StaffMember
from provider_dir.listings.models import Clinic
from provider_dir.listings.services import SLUG_PATTERN
from provider_dir.listings.vocab import ClinicStatus
from provider_dir.reviews.figures.charts import ClinicFigures, clinic_figures
from provider_dir.scoring.checklist.loading import ClinicSet, load_evidence
from provider_dir.scoring.score import ScoreResult
from provider_dir.scoring.services import score_of, today

MAX_CLINICS = 3
# A longer list is not a comparison anyone made by hand; refusing it early keeps the work bounded.
MAX_ASKED = 20


class CompareError(ValueError):
    """A comparison that cannot be shown, with the HTTP status and a message saying what to change."""

    def __init__(self, status: int, message: str, slugs: tuple[str, ...] = ()):
        super().__init__(message)
        self.status, self.message, self.slugs = status, message, slugs


def parse_slugs(values: Iterable[str]) -> tuple[str, ...]:
    """Return the distinct slugs asked for, in order; raise CompareError for none, too many or malformed ones."""
    slugs: list[str] = []
    for value in values:
        slug = value.strip()
        if slug and slug not in slugs:
            slugs.append(slug)
    if not slugs:
        raise CompareError(400, "Choose one to three clinics to compare: tick “Compare” on search results.")
    if len(slugs) > MAX_ASKED:
        raise CompareError(400, f"A comparison holds at most {MAX_CLINICS} clinics; {len(slugs)} were asked for.")
    bad = [s for s in slugs if not SLUG_PATTERN.fullmatch(s)]
    if bad:
        shown = ", ".join(repr(s[:60]) for s in bad)
        raise CompareError(400, f"{shown} is not a clinic's address name (those use letters, digits, - and _).")
    if len(slugs) > MAX_CLINICS:
        message = f"You chose {len(slugs)} clinics; a comparison holds at most {MAX_CLINICS}. Untick some."
        raise CompareError(422, message, tuple(slugs))
    return tuple(slugs)


@dataclass(frozen=True)
class ComparedClinic:
    """One column of a comparison: the clinic, its score as of today and its rating figures."""

    clinic: Clinic
    score: ScoreResult
    figures: ClinicFigures
    staff: list[dict]


@dataclass(frozen=True)
class Comparison:
    """The clinics found, in the order asked, and the slugs no published clinic has."""

    slugs: tuple[str, ...]
    clinics: list[ComparedClinic] = field(default_factory=list)
    missing: tuple[str, ...] = ()

    @property
    def categories(self) -> list[str]:
        """The checklist's category names, in its order."""
        return [c.name for c in self.clinics[0].score.categories] if self.clinics else []


def published_by_slug(session: Session, slugs: Iterable[str]) -> dict[str, Clinic]:
    """Return {slug: clinic} for the published clinics among the slugs, with staff and credentials loaded."""
    rows = session.scalars(
        select(Clinic)
        .where(Clinic.slug.in_(list(slugs)), Clinic.status == ClinicStatus.PUBLISHED)
        .options(selectinload(Clinic.staff).selectinload(StaffMember.credentials))
    )
    return {clinic.slug: clinic for clinic in rows}


def staff_rows(clinic: Clinic, on: date) -> list[dict]:
    """Return each staff member with their role and credentials (status as of the day) as the API shows them."""
    return [
        {
            "name": member.full_name,
            "degree": member.degree,
            "role": member.role.label,
            "credentials": [credential_json(c, on) for c in member.credentials],
        }
        for member in clinic.staff
    ]


def compare(session: Session, slugs: tuple[str, ...], on: date | None = None) -> Comparison:
    """Load the clinics, score each from its evidence as of today (one load for all) and compute their figures."""
    on = on or today()
    found = published_by_slug(session, slugs)
    evidence = load_evidence(session, ClinicSet(ids=[c.id for c in found.values()]), detail=True) if found else {}
    clinics = [
        ComparedClinic(
            clinic=clinic,
            score=score_of(evidence.get(clinic.id), on),
            figures=clinic_figures(clinic),
            staff=staff_rows(clinic, on),
        )
        for clinic in (found[s] for s in slugs if s in found)
    ]
    return Comparison(slugs=slugs, clinics=clinics, missing=tuple(s for s in slugs if s not in found))
