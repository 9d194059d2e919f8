"""Plain questions a patient can ask a clinic: one per checklist item, and the general ones from the brief.

Plain data and functions with no Flask: the printable "Questions to ask this clinic" page lists the question of every
item nobody from this site has checked at that clinic (unknown, self-reported, expired, refused, contradicted or
confirmed only by patients), each with why it matters, then the general questions.
"""

from __future__ import annotations

from dataclasses import dataclass

from provider_dir.scoring.checklist.items import ITEMS, ChecklistItem
from provider_dir.scoring.checklist.labels import item_badge
from provider_dir.scoring.score import ScoreResult, evidence_pieces, verified_on_record

# One plain question per checklist item, in the words a patient would use on the phone.
ITEM_QUESTIONS: dict[str, str] = {
    "C01": "Who prescribes the ketamine here, and do they hold an active state licence and a DEA registration?",
    "C02": "Who is your medical director, and which board certifies them (anesthesiology, psychiatry, emergency "
           "medicine or pain medicine)?",
    "C03": "Will a clinician certified in advanced cardiac life support (ACLS) be with me for the whole infusion?",
    "C04": "Will someone take my medical history and do a psychiatric evaluation before my first infusion?",
    "C05": "How do you screen for reasons I should not have ketamine, such as high blood pressure, heart disease, "
           "psychosis, substance misuse, liver disease or pressure in the eye or skull?",
    "C06": "Do you take my vital signs before each infusion, and at what readings would you postpone it?",
    "C07": "Will my blood pressure, heart rate and oxygen level be monitored continuously during the infusion?",
    "C08": "What emergency equipment do you keep in the room (oxygen, airway equipment, a defibrillator, "
           "resuscitation drugs), and what is your plan for getting me to a hospital?",
    "C09": "How do you decide my dose, and is it given with an infusion pump?",
    "C10": "How many infusions does a first course have, when do you review whether it is working, and when would "
           "you stop?",
    "C11": "How long will you watch me after the infusion, and do I need someone to take me home?",
    "C12": "Will I get a written consent form that explains the risks and that ketamine is used off-label?",
    "C13": "Do you measure my symptoms with questionnaires (such as PHQ-9, GAD-7, PCL-5 or a pain score) before "
           "and during the course?",
    "C14": "Will you keep my own psychiatrist, family doctor or pain physician informed?",
    "C15": "Can I see a licensed therapist here for psychotherapy or integration sessions?",
    "C16": "Will I have a private room, and may someone I trust stay with me?",
    "C17": "How do you store ketamine and keep track of it?",
    "C18": "Do you see every patient in person before treatment, and do you ever give IV ketamine at home?",
    "C19": "What is the full price: consultation, each infusion, the series and maintenance, and what is your "
           "refund policy?",
    "C20": "What results do you tell patients to expect, and what do you say to someone it does not help?",
    "C21": "Do you hold the ASKP3 pledge, and if you offer esketamine (Spravato), is this a REMS-certified setting?",
}


@dataclass(frozen=True, slots=True)
class GeneralQuestion:
    """A question for any clinic, with why it matters and where it comes from."""

    text: str
    why: str
    source: str


# From the brief: what happens during and after an infusion, side effects and how they are watched, psychotherapy,
# the number of sessions, the full price.
GENERAL_QUESTIONS: tuple[GeneralQuestion, ...] = (
    GeneralQuestion(
        "What happens during an infusion, and how long does it take?",
        "An infusion usually lasts 40 to 60 minutes; you stay awake and may feel detached from your surroundings. "
        "Knowing what to expect makes it less unsettling.",
        "brief",
    ),
    GeneralQuestion(
        "What happens after the infusion, and how will I feel for the rest of the day?",
        "People often feel tired or emotionally sensitive for a few hours afterwards; you should not drive that day.",
        "brief, ASKP3",
    ),
    GeneralQuestion(
        "Which side effects should I expect, and how will you watch for them?",
        "Nausea, dizziness, raised blood pressure and mild hallucinations can happen during a session; the clinic "
        "should tell you how it monitors and treats them.",
        "brief, APA 2017",
    ),
    GeneralQuestion(
        "Do you offer psychotherapy alongside the infusions, or work with my own therapist?",
        "The brief describes ketamine-assisted psychotherapy as a way to help the benefits last.",
        "brief, ASKP3",
    ),
    GeneralQuestion(
        "How many sessions do people usually need, and how will we decide whether to continue?",
        "The number of sessions depends on the person and the condition; a plan with a review point keeps you from "
        "paying for infusions that are not helping.",
        "brief, ASA",
    ),
    GeneralQuestion(
        "What will the whole course cost, in writing, including the consultation and any follow-up?",
        "Treatment is usually paid out of pocket; a written quote lets you compare clinics without surprises.",
        "brief",
    ),
    GeneralQuestion(
        "Can I keep taking my usual medicines, and will you talk to the doctor who prescribes them?",
        "The brief notes that many patients continue their standard medicines; your own doctor should know.",
        "brief",
    ),
)


@dataclass(frozen=True, slots=True)
class ItemQuestion:
    """A checklist item to ask about, with where the clinic stands on it."""

    item: ChecklistItem
    question: str
    badge: str
    status: str


def questions_for(score: ScoreResult) -> list[ItemQuestion]:
    """Return the question of every item nobody from this site has checked at this clinic, in checklist order."""
    asked = []
    for result in score.items:
        if result.status == "verified" and verified_on_record(result):
            continue
        badge = item_badge(result.status, result.clinic_status, evidence_pieces(result))
        asked.append(ItemQuestion(result.item, ITEM_QUESTIONS[result.code], badge, result.status))
    return asked


def missing_questions() -> list[str]:
    """Return the codes of checklist items that have no question (a test keeps this empty)."""
    return [item.code for item in ITEMS if not ITEM_QUESTIONS.get(item.code)]
