"""The public moderation log: filters, one page of decisions, newest first, read from PublicDecision's indexes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select

from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import ClinicStatus
from provider_dir.transparency.kinds import KINDS, MADE, OUTCOME_LABELS, kind_label, outcome_label
from provider_dir.transparency.models import PublicDecision
from provider_dir.transparency.reasons import reason_label

PER_PAGE = 50
MAX_PAGE = 10_000
MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
FILTER_NAMES = ("clinic", "kind", "outcome", "month", "page")


class BadFilter(ValueError):
    """A filter the log cannot apply; fields maps each parameter to what is wrong with it."""

    def __init__(self, fields: dict[str, str], status: int = 400):
        super().__init__(" ".join(fields.values()))
        self.fields = fields
        self.status = status


@dataclass(frozen=True, slots=True)
class Filters:
    """The log's filters, each None when not applied."""

    clinic: Clinic | None = None
    kind: str | None = None
    outcome: str | None = None
    month: str | None = None
    page: int = 1

    def args(self, **changes) -> dict:
        """Return the filters as query arguments (for links), with some changed."""
        values = {"clinic": self.clinic.slug if self.clinic else None, "kind": self.kind, "outcome": self.outcome,
                  "month": self.month, "page": self.page if self.page > 1 else None}  # fmt: skip
        values.update(changes)
        return {key: value for key, value in values.items() if value}


def kind_choices() -> list[tuple[str, str]]:
    """Return the kinds a visitor can filter by."""
    return [(name, kind.label) for name, kind in KINDS.items()]


def outcome_choices() -> list[tuple[str, str]]:
    """Return the outcomes a visitor can filter by."""
    return [(code, label) for code, label in OUTCOME_LABELS.items() if code != MADE]


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """Return the first moment of a "YYYY-MM" month and of the next, in UTC; ValueError when it is not a month."""
    match = MONTH_PATTERN.match(month or "")
    if not match or not 1 <= int(match.group(2)) <= 12 or not 2000 <= int(match.group(1)) <= 2100:
        raise ValueError(month)
    year, number = int(match.group(1)), int(match.group(2))
    start = datetime(year, number, 1, tzinfo=UTC)
    end = datetime(year + (number == 12), number % 12 + 1, 1, tzinfo=UTC)
    return start, end


def parse(args, strict: bool = False) -> Filters:
    """Read the filters from query arguments; raise BadFilter with a message per parameter.

    The page's form sends empty filters as empty values, which mean "any"; the JSON API (strict) refuses them, as its
    document says a filter is either left out or given.
    """
    problems: dict[str, str] = {}
    if strict:
        for name in FILTER_NAMES:
            if name in args and not args.get(name):
                problems[name] = f"Give a value for '{name}', or leave it out."
    unknown = sorted(set(args) - set(FILTER_NAMES))
    for name in unknown:
        problems[name] = f"'{name[:40]}' is not a filter of the log; use {', '.join(FILTER_NAMES)}."
    kind, outcome, month = args.get("kind") or None, args.get("outcome") or None, args.get("month") or None
    if kind is not None and kind not in KINDS:
        problems["kind"] = f"Choose a kind among {', '.join(KINDS)}."
    if outcome is not None and outcome not in dict(outcome_choices()):
        problems["outcome"] = f"Choose an outcome among {', '.join(dict(outcome_choices()))}."
    if month is not None:
        try:
            month_bounds(month)
        except ValueError:
            problems["month"] = "Give the month as YYYY-MM, for example 2026-11."
    page_text = args.get("page") or "1"
    page = int(page_text) if page_text.isdigit() else 0
    if not 1 <= page <= MAX_PAGE:
        problems["page"] = f"Give the page as a whole number from 1 to {MAX_PAGE:,}."
    if problems:
        raise BadFilter(problems)
    clinic = None
    if slug := args.get("clinic"):
        clinic = db.session.scalar(select(Clinic).where(Clinic.slug == slug[:120],
                                                        Clinic.status == ClinicStatus.PUBLISHED))
        if clinic is None:
            raise BadFilter({"clinic": f"No published clinic has the slug '{slug[:120]}'."}, status=404)
    return Filters(clinic=clinic, kind=kind, outcome=outcome, month=month, page=page)


@dataclass(frozen=True, slots=True)
class LogLine:
    """One decision as the public sees it: no account, name, note, text or document, ever."""

    date: str
    kind: str
    outcome: str
    reason: str
    clinic_slug: str | None
    clinic_name: str | None

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def outcome_label(self) -> str:
        return outcome_label(self.outcome)

    @property
    def reason_label(self) -> str:
        return reason_label(self.reason, self.kind)

    def as_json(self) -> dict:
        """Return the line as the JSON log gives it."""
        clinic = {"slug": self.clinic_slug, "name": self.clinic_name} if self.clinic_slug else None
        return {"date": self.date, "kind": self.kind, "kind_label": self.kind_label, "outcome": self.outcome,
                "outcome_label": self.outcome_label, "reason": self.reason or None,
                "reason_label": self.reason_label or None, "clinic": clinic}  # fmt: skip


def page(filters: Filters) -> tuple[list[LogLine], bool]:
    """Return one page of the log, newest first, and whether an older page follows."""
    decision = PublicDecision
    query = select(decision.created_at, decision.kind, decision.outcome, decision.reason, decision.clinic_id)
    if filters.clinic is not None:
        query = query.where(decision.clinic_id == filters.clinic.id)
    if filters.kind:
        query = query.where(decision.kind == filters.kind)
    if filters.outcome:
        query = query.where(decision.outcome == filters.outcome)
    if filters.month:
        start, end = month_bounds(filters.month)
        query = query.where(decision.created_at >= start, decision.created_at < end)
    rows = db.session.execute(
        query.order_by(decision.created_at.desc(), decision.id.desc())
        .offset((filters.page - 1) * PER_PAGE).limit(PER_PAGE + 1)
    ).all()  # fmt: skip
    clinic_ids = {row.clinic_id for row in rows[:PER_PAGE] if row.clinic_id is not None}
    # Only published clinics are named: a refused new listing was never public.
    clinics = {}
    if clinic_ids:
        clinics = {c.id: (c.slug, c.name) for c in db.session.execute(
            select(Clinic.id, Clinic.slug, Clinic.name)
            .where(Clinic.id.in_(clinic_ids), Clinic.status == ClinicStatus.PUBLISHED))}  # fmt: skip
    lines = [LogLine(row.created_at.strftime("%Y-%m-%d"), row.kind, row.outcome, row.reason,
                     *clinics.get(row.clinic_id, (None, None))) for row in rows[:PER_PAGE]]  # fmt: skip
    return lines, len(rows) > PER_PAGE
