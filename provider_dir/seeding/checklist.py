"""Varied answers to the 21 quality-checklist items (codes C01-C21), in a clinic's own voice."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from provider_dir.scoring.vocab import AnswerStatus, EvidenceKind
from provider_dir.seeding.content.staffing import moment
from provider_dir.seeding.quickrandom import QuickRandom

SR, DOC, REG, MOD = EvidenceKind.SR, EvidenceKind.DOC, EvidenceKind.REG, EvidenceKind.MOD


@dataclass(frozen=True)
class Item:
    """What seeding needs to know about a checklist item."""

    code: str
    kinds: tuple[EvidenceKind, ...]  # kinds a clinic or moderator can supply (PR comes from reviews)
    safety: bool
    dated: bool
    texts: tuple[str, ...]


ITEMS = (
    Item("C01", (REG, DOC), True, True, (
        "Our prescribing physician holds an active {state} licence and a DEA registration; numbers on file.",
        "Both our medical director's {state} licence and DEA registration are current; copies sent for review.",
    )),
    Item("C02", (REG, DOC), False, False, (
        "Our medical director is board-certified in {board}.",
        "Board certification ({board}) can be looked up on the board's public registry.",
    )),
    Item("C03", (DOC,), True, True, (
        "Every infusion is staffed by a clinician with a current ACLS card; cards uploaded with expiry dates.",
        "An ACLS-certified nurse or CRNA stays in the room for the whole infusion. Card copies attached.",
    )),
    Item("C04", (DOC,), True, False, (
        "New patients complete a psychiatric evaluation and medical history with our prescriber before any dose.",
        "We require an intake visit (in person) and records from the referring clinician before the first infusion.",
    )),
    Item("C05", (DOC,), True, False, (
        "Our intake form screens for uncontrolled hypertension, heart disease, psychosis, substance misuse, liver "
        "disease and raised intracranial or eye pressure; a template is attached.",
        "We decline or defer treatment when screening finds a contraindication; the screening protocol is attached.",
    )),
    Item("C06", (DOC,), False, False, (
        "Blood pressure and heart rate are taken before each infusion; we hold the dose above 160/100.",
        "Our written protocol sets the vital-sign thresholds at which an infusion is postponed.",
    )),
    Item("C07", (SR, DOC), True, False, (
        "Blood pressure, heart rate and oxygen saturation are monitored continuously and charted every 5 minutes.",
        "Each chair has a multi-parameter monitor; staff watch it for the whole infusion.",
        "We use continuous pulse oximetry and automatic blood-pressure cuffs during every session.",
    )),
    Item("C08", (DOC,), True, False, (
        "We keep oxygen, suction, airway equipment, an AED and resuscitation drugs in every treatment area, with a "
        "written transfer plan to the nearest hospital.",
        "Our crash cart is checked weekly; the log and our emergency transfer agreement are attached.",
    )),
    Item("C09", (SR,), False, False, (
        "Infusions run on a programmable pump; for depression we start at 0.5 mg/kg over 40 minutes.",
        "Dosing is weight-based and given by infusion pump, adjusted only within our written protocol.",
    )),
    Item("C10", (SR,), False, False, (
        "We offer a 6-infusion induction over 2-3 weeks, review response after it, and stop if there is no benefit.",
        "Every plan has an endpoint: an induction series, a review visit, then maintenance only if it helped.",
    )),
    Item("C11", (DOC,), True, False, (
        "Patients recover in the clinic until back to baseline and leave only with a responsible adult; no driving "
        "that day.",
        "We do not discharge anyone without a ride home; the discharge checklist is attached.",
    )),
    Item("C12", (DOC,), False, False, (
        "Our written consent covers off-label use, common side effects and rare risks; a blank copy is attached.",
        "Patients sign an informed-consent form explaining that ketamine is used off-label for mood disorders.",
    )),
    Item("C13", (SR,), False, False, (
        "We take PHQ-9 and GAD-7 (or pain scores) at baseline and before each infusion.",
        "Symptom questionnaires are repeated at every visit and shared with the patient.",
    )),
    Item("C14", (SR,), False, False, (
        "With consent we send a summary to the patient's psychiatrist or GP after the induction series.",
        "We ask every patient for their treating clinician's details and keep them updated.",
    )),
    Item("C15", (REG, SR), False, False, (
        "A licensed therapist on our team offers integration sessions; licence number on file.",
        "Integration therapy is available in person or by video with our licensed clinical social worker.",
    )),
    Item("C16", (SR,), False, False, (
        "Every infusion takes place in a private room; a support person may stay throughout.",
        "Our rooms are private and a friend or family member is welcome to sit with you.",
    )),
    Item("C17", (SR,), False, False, (
        "Ketamine is kept in a locked safe with a double-count log reconciled every day.",
        "Controlled substances are stored under lock, logged per dose and audited monthly.",
    )),
    Item("C18", (SR, MOD), False, False, (
        "We never send IV ketamine home and every patient is seen in person before treatment.",
        "All treatment happens on site after an in-person evaluation; we do not offer at-home infusions.",
    )),
    Item("C19", (SR,), False, False, (
        "Our website lists the consultation fee, per-infusion and series prices, and our refund policy.",
        "Prices for consultation, each infusion, the series and maintenance are published, with refunds for "
        "unused prepaid infusions.",
    )),
    Item("C20", (MOD,), False, False, (
        "Listing text reviewed: no cure, guarantee or miracle claims.",
    )),
    Item("C21", (DOC,), False, True, (
        "We hold the ASKP3 pledge for this year; the certificate is attached.",
        "ASKP3 pledge holder; our Spravato REMS setting certification is attached as well.",
    )),
)
ITEM_BY_CODE = {item.code: item for item in ITEMS}
SAFETY_CODES = tuple(item.code for item in ITEMS if item.safety)


@dataclass(frozen=True)
class Profile:
    """How thoroughly a clinic answers the checklist."""

    answer_rate: float  # share of items answered at all
    verify_rate: float  # share of answered, checkable items a moderator verified
    safety_gaps: int  # safety-critical items left without any answer
    unknown_rows: float  # share of unanswered items that still have an 'unknown' row


PROFILES = {
    "strong": Profile(0.95, 0.65, 0, 0.5),
    "solid": Profile(0.80, 0.30, 0, 0.4),
    "basic": Profile(0.50, 0.10, 1, 0.3),
    "weak": Profile(0.30, 0.00, 3, 0.2),
}


def answers_for(rng: QuickRandom, tier: str, *, today: date, state: str, board: str | None,
                has_therapist: bool, prices_published: bool, hype: bool, website: str,
                expiries: dict[str, date | None], profiles: dict[str, Profile] = PROFILES) -> list[dict]:
    """Return checklist answers for one clinic as plain dicts (omitted items have no row)."""
    profile = profiles[tier]
    gaps = set(rng.sample(SAFETY_CODES, profile.safety_gaps))
    rows = []
    for item in ITEMS:
        impossible = ((item.code == "C15" and not has_therapist) or (item.code == "C19" and not prices_published)
                      or (item.code == "C20" and hype) or (item.code == "C02" and board is None))
        answered = item.code not in gaps and not impossible and rng.random() < profile.answer_rate
        if not answered:
            if rng.random() < profile.unknown_rows:
                rows.append(dict(item_code=item.code, status=AnswerStatus.UNKNOWN, evidence_kind=None,
                                 evidence_text="", evidence_url="", verified_at=None, expires_on=None))
            continue
        checkable = [k for k in item.kinds if k != SR]
        verified = bool(checkable) and rng.random() < profile.verify_rate
        if item.code == "C20":
            verified = True  # only a moderator can answer it
        kind = rng.choice(checkable) if verified else (SR if SR in item.kinds else item.kinds[0])
        expires_on = None
        if item.dated:
            expires_on = expiries.get(item.code) or (today + timedelta(days=rng.randint(-120, 365)))
        text = "" if kind == MOD and item.code != "C20" else rng.choice(item.texts).format(
            state=state, board=board or "")
        url = f"{website}/{rng.choice(['safety', 'our-team', 'pricing', 'patients'])}" if kind == DOC and \
            rng.random() < 0.4 else ""
        rows.append(dict(item_code=item.code, status=AnswerStatus.VERIFIED if verified else AnswerStatus.SELF_REPORTED,
                         evidence_kind=kind, evidence_text=text, evidence_url=url,
                         verified_at=moment(today - timedelta(days=rng.randint(5, 400)), rng) if verified else None,
                         expires_on=expires_on))
    return rows
