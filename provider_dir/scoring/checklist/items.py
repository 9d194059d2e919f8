"""The quality checklist as versioned data: 21 items, their sources, weights and evidence rules.

Plain data with no Flask and no database: the score function, the pages and the tests all read it.
A change to an item, a weight or a rule gets a new CHECKLIST_VERSION; stored scores name theirs.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

CHECKLIST_VERSION = "2026.1"

# Evidence kinds, as stored in ChecklistAnswer.evidence_kind (scoring.vocab.EvidenceKind).
SR, DOC, REG, PR, MOD = "SR", "DOC", "REG", "PR", "MOD"
EVIDENCE_KIND_LABELS = {
    SR: "the clinic's own statement",
    DOC: "a document checked by a moderator",
    REG: "a registry number checked",
    PR: "patients' answers in approved reviews",
    MOD: "a moderator's own check",
}

# How much of an item's weight each level of evidence earns.
FACTOR_VERIFIED = Fraction(1)
FACTOR_SELF_REPORTED_CORROBORATED = Fraction(3, 4)
FACTOR_SELF_REPORTED = Fraction(1, 2)
FACTOR_PATIENTS_ONLY = Fraction(1, 2)

# Patients' answers: how many make a verdict, and what share makes a clear majority.
PATIENT_MIN_ANSWERS = 5
PATIENT_MAJORITY = Fraction(3, 5)

# A clinic with a safety-critical item unknown, expired or contradicted scores at most this.
SAFETY_CAP = 50


@dataclass(frozen=True, slots=True)
class Source:
    """A published source an item rests on."""

    name: str
    citation: str


SOURCES: dict[str, Source] = {
    s.name: s
    for s in (
        Source(
            "APA 2017",
            'Sanacora G, et al. "A Consensus Statement on the Use of Ketamine in the Treatment of Mood Disorders". '
            "JAMA Psychiatry 2017;74(4):399-405.",
        ),
        Source(
            "ASRA/AAPM/ASA 2018",
            'Cohen SP, et al. "Consensus Guidelines on the Use of Intravenous Ketamine Infusions for Chronic Pain '
            'from the American Society of Regional Anesthesia and Pain Medicine, the American Academy of Pain '
            'Medicine, and the American Society of Anesthesiologists". '
            "Regional Anesthesia & Pain Medicine 2018;43:521-546.",
        ),
        Source(
            "ASA",
            'American Society of Anesthesiologists. "Guidance on the Safe Use of Ketamine Outside of Acute Pain '
            'Management and Procedural Sedation".',
        ),
        Source(
            "ASKP3",
            "American Society of Ketamine Physicians, Psychotherapists & Practitioners. Standards of Practice (2020); "
            'patient guidance "What to look for in a clinic"; Pledge Program (renewed yearly).',
        ),
        Source(
            "Spravato REMS",
            "US Food and Drug Administration. Risk Evaluation and Mitigation Strategy for esketamine nasal spray "
            "(Spravato): treatment only in a certified setting, a prescriber on site, pulse oximetry, observation "
            "for at least 2 hours, never for use at home.",
        ),
        Source(
            "brief",
            "The patient's guide this directory grew from: choose a clinic by its experienced medical staff, "
            "its structured treatment plan, its focus on patient well-being, and its patient reviews.",
        ),
    )
}

CATEGORIES = (
    "Oversight",
    "Safety",
    "Screening",
    "Treatment plan",
    "Aftercare",
    "Consent",
    "Outcomes",
    "Well-being",
    "Ethics",
    "Transparency",
    "Recognition",
)


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    """One item of the checklist."""

    code: str
    category: str
    title: str
    text: str
    why: str
    sources: tuple[str, ...]
    weight: int
    safety_critical: bool
    evidence_kinds: tuple[str, ...]
    # Evidence for this item carries a date and stops counting on it; without a date it is not verified.
    expires: bool = False
    # Read from the staff's credentials, not from the clinic's answer.
    from_credentials: bool = False
    # The Review field whose yes/no/not sure answers corroborate or contradict this item.
    review_field: str | None = None
    review_question: str | None = None
    # False where only a moderator's check means anything (a clinic's word that it makes no claims does not).
    self_report_counts: bool = True

    @property
    def number(self) -> int:
        """The item's number in the published table."""
        return int(self.code[1:])

    @property
    def source_list(self) -> tuple[Source, ...]:
        """The full sources, in the item's order."""
        return tuple(SOURCES[name] for name in self.sources)


ITEMS: tuple[ChecklistItem, ...] = (
    ChecklistItem(
        "C01", "Oversight", "Licensed prescriber with DEA registration",
        "A prescriber with an active state licence and DEA registration (ketamine is a Schedule III drug)",
        "Ketamine may only be prescribed by a licensed clinician registered with the DEA; an unlicensed "
        "prescriber means nobody answerable is in charge of your treatment.",
        ("APA 2017", "ASA"), 8, True, (REG, DOC), expires=True, from_credentials=True,
    ),
    ChecklistItem(
        "C02", "Oversight", "Board-certified medical director",
        "The medical director is board-certified in anesthesiology, psychiatry, emergency medicine or pain medicine",
        "Board certification shows the doctor in charge trained and was examined in a field that handles "
        "sedation, mental health or pain.",
        ("ASKP3",), 4, False, (REG, DOC), from_credentials=True,
    ),
    ChecklistItem(
        "C03", "Safety", "ACLS-certified clinician present throughout",
        "An ACLS-certified clinician is present for the whole infusion",
        "Ketamine can raise blood pressure and, rarely, affect breathing; someone trained in advanced life "
        "support must be in the room to act at once.",
        ("APA 2017",), 8, True, (DOC, PR), expires=True, from_credentials=True,
        review_field="clinician_present", review_question="Was a clinician with you throughout?",
    ),
    ChecklistItem(
        "C04", "Screening", "Evaluation before the first infusion",
        "A psychiatric evaluation and a medical history before the first infusion",
        "Ketamine is not safe for everyone; an evaluation first checks that it suits your condition and "
        "your health.",
        ("APA 2017", "ASA"), 8, True, (DOC, PR),
        review_field="evaluated_before", review_question="Were you evaluated before your first infusion?",
    ),
    ChecklistItem(
        "C05", "Screening", "Screening for contraindications",
        "Screening for contraindications: uncontrolled high blood pressure or heart disease, active psychosis, "
        "active substance misuse, severe liver disease, raised pressure in the skull or the eye",
        "These conditions can make ketamine dangerous; a clinic should rule them out before treating you.",
        ("ASRA/AAPM/ASA 2018",), 8, True, (DOC,),
    ),
    ChecklistItem(
        "C06", "Safety", "Vital signs checked before, with a hold threshold",
        "Vital signs taken before the infusion, with a written threshold to hold it",
        "If your blood pressure or heart rate is too high that day, the infusion should wait; a written "
        "threshold means the decision does not depend on who is on duty.",
        ("APA 2017",), 4, False, (DOC,),
    ),
    ChecklistItem(
        "C07", "Safety", "Continuous monitoring during the infusion",
        "Continuous monitoring of blood pressure, heart rate and oxygen saturation during the infusion",
        "Changes in blood pressure or breathing happen during the infusion; machines that watch them all "
        "the time let staff see a problem early.",
        ("APA 2017", "Spravato REMS"), 8, True, (SR, DOC, PR),
        review_field="vitals_monitored", review_question="Were your vital signs monitored?",
    ),
    ChecklistItem(
        "C08", "Safety", "Emergency equipment and a transfer plan",
        "Emergency readiness: airway equipment, oxygen, resuscitation drugs, a defibrillator and a transfer plan",
        "Emergencies are rare but real; the equipment and a plan to reach a hospital must be there before "
        "they are needed.",
        ("ASA",), 8, True, (DOC,),
    ),
    ChecklistItem(
        "C09", "Treatment plan", "Evidence-based dosing with a pump",
        "Evidence-based dosing with an infusion pump (for depression commonly 0.5 mg/kg over 40 minutes)",
        "The doses studied in trials are the ones known to help; a pump gives the dose evenly and exactly.",
        ("APA 2017", "ASRA/AAPM/ASA 2018"), 3, False, (SR,),
    ),
    ChecklistItem(
        "C10", "Treatment plan", "A defined course with an endpoint",
        "A defined course with an endpoint: an induction series, a review of response, a maintenance or stop rule",
        "A plan with a review point means you are not kept on infusions that are not helping you.",
        ("ASA",), 3, False, (SR,),
    ),
    ChecklistItem(
        "C11", "Aftercare", "Observation after, and a ride home",
        "Observation after the infusion until back to baseline; discharge to a responsible adult; no driving "
        "that day",
        "Ketamine affects coordination and judgement for hours; going home alone or driving is a real risk.",
        ("ASKP3", "Spravato REMS"), 8, True, (DOC, PR),
        review_field="ride_required", review_question="Were you required to have a ride home?",
    ),
    ChecklistItem(
        "C12", "Consent", "Written informed consent",
        "Written informed consent covering off-label use and risks",
        "Most ketamine treatment is off-label; you should be told so in writing, with the risks, before you "
        "agree.",
        ("ASA",), 4, False, (DOC,),
    ),
    ChecklistItem(
        "C13", "Outcomes", "Symptoms measured with validated scales",
        "Symptoms measured with validated scales (PHQ-9, GAD-7, PCL-5, pain scores) at the start and during "
        "the course",
        "Questionnaires show whether the treatment is working for you, rather than leaving it to impressions.",
        ("ASRA/AAPM/ASA 2018",), 3, False, (SR, PR),
        review_field="symptoms_tracked", review_question="Did they track your symptoms with questionnaires?",
    ),
    ChecklistItem(
        "C14", "Well-being", "Coordination with your own doctors",
        "Coordination with the patient's own psychiatrist, family doctor or pain physician",
        "Your other doctors need to know about ketamine to keep the rest of your care safe and consistent.",
        ("brief", "ASA"), 3, False, (SR,),
    ),
    ChecklistItem(
        "C15", "Well-being", "Psychotherapy or integration available",
        "Psychotherapy or integration sessions with licensed therapists available",
        "Talking through the experience with a therapist can help the benefits last.",
        ("brief", "ASKP3"), 3, False, (REG, SR),
    ),
    ChecklistItem(
        "C16", "Well-being", "Private room; a support person may stay",
        "A private treatment room, where a support person may stay",
        "You may feel vulnerable during an infusion; privacy and someone you trust nearby make it easier.",
        ("ASKP3",), 2, False, (SR, PR),
        review_field="private_room", review_question="Did you have a private room?",
    ),
    ChecklistItem(
        "C17", "Safety", "Controlled-substance storage and diversion controls",
        "Controlled-substance storage and diversion controls",
        "Ketamine is a controlled drug; locked storage and records protect patients and the public from misuse.",
        ("ASA",), 4, False, (SR,),
    ),
    ChecklistItem(
        "C18", "Ethics", "No IV ketamine at home",
        "No IV ketamine at home; an in-person evaluation before treatment",
        "Infusions at home lack the monitoring and emergency equipment a clinic has.",
        ("ASKP3",), 4, False, (SR, MOD),
    ),
    ChecklistItem(
        "C19", "Transparency", "Published prices and refund policy",
        "Published prices: consultation, per infusion, series and maintenance; a refund policy",
        "Treatment is usually paid out of pocket; clear prices let you plan and compare without surprises.",
        ("brief",), 3, False, (SR, PR),
        review_field="price_matched", review_question="Was the final price what you were quoted?",
    ),
    ChecklistItem(
        "C20", "Ethics", "No cure or miracle claims",
        'No "cure", "guaranteed" or "miracle" claims in the listing',
        "Ketamine helps many people but not everyone; promises of a cure are a warning sign about a clinic.",
        ("ASKP3",), 2, False, (MOD,), self_report_counts=False,
    ),
    ChecklistItem(
        "C21", "Recognition", "ASKP3 pledge; REMS-certified setting",
        "ASKP3 pledge holder; a Spravato REMS-certified setting where esketamine is offered",
        "The pledge and REMS certification are outside commitments to published standards, renewed over time.",
        ("ASKP3", "Spravato REMS"), 2, False, (DOC,), expires=True,
    ),
)

ITEMS_BY_CODE: dict[str, ChecklistItem] = {item.code: item for item in ITEMS}
SAFETY_CRITICAL_CODES: tuple[str, ...] = tuple(item.code for item in ITEMS if item.safety_critical)
REVIEW_FIELDS: dict[str, str] = {item.review_field: item.code for item in ITEMS if item.review_field}
MAX_POINTS = sum(item.weight for item in ITEMS)
CATEGORY_MAX: dict[str, int] = {c: sum(i.weight for i in ITEMS if i.category == c) for c in CATEGORIES}


def items_in(category: str) -> tuple[ChecklistItem, ...]:
    """Return the items of one category, in table order."""
    return tuple(item for item in ITEMS if item.category == category)
