"""Screen a clinic's public reply for patient details before it is posted. Plain functions.

Clinics have been fined for confirming patients' details in replies to reviews (HHS OCR 2019, 2022).
The screen is deliberately strict: a false alarm costs the owner a rewrite, a miss discloses health data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NAME = "a name"
DATE = "a date"
PHONE = "a phone number"
TREATMENT = "treatment details"
CARE = "a reference to the person's own care (it confirms they are a patient)"

NON_CONFIRMING_TEMPLATE = (
    "Thank you for taking the time to share this. To protect everyone's privacy we can't discuss any "
    "individual's care here; please call us at {phone} so that we can talk."
)

# Common US first names (unambiguous ones only: no Grace, Hope, May, Will, Mark ...), matched capitalised.
_FIRST_NAMES = """
    James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel Matthew Anthony
    Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy Ronald Edward Jason Jeffrey Ryan Jacob
    Gary Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel Gregory Alexander Patrick
    Jack Dennis Jerry Tyler Aaron Jose Adam Nathan Henry Zachary Douglas Peter Kyle Noah Ethan Jeremy
    Christian Walter Keith Austin Sean Roger Terry Carl Arthur Lawrence Dylan Jesse Jordan Bryan Joe Logan
    Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty Sandra Margaret
    Ashley Kimberly Emily Donna Michelle Carol Amanda Melissa Deborah Stephanie Dorothy Rebecca Sharon Laura
    Cynthia Amy Kathleen Angela Shirley Brenda Emma Anna Pamela Nicole Samantha Katherine Christine Debra
    Rachel Carolyn Janet Maria Catherine Heather Diane Olivia Julie Joyce Victoria Ruth Virginia Lauren Kelly
    Christina Joan Evelyn Judith Andrea Hannah Megan Cheryl Jacqueline Martha Madison Teresa Gloria Sara
    Janice Ann Kathryn Abigail Sophia Frances Jean Alice Judy Isabella Julia Denise Amber Doris Marilyn
    Danielle Beverly Theresa Diana Natalie Brittany Charlotte Marie Kayla Alexis Lori Luis Carlos Juan
"""
FIRST_NAMES = frozenset(_FIRST_NAMES.split())
GREETING_OK = frozenset({"there", "all", "everyone", "friend", "reviewer", "patient", "and", "again"})

MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
WEEKDAY = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?"
NUMBER_WORD = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve|first|second|third|fourth|fifth|sixth)"
ORDINAL = r"(?:\d+(?:st|nd|rd|th))"
CARE_NOUN = (
    r"(?:visit|visits|appointment|appointments|infusion|infusions|session|sessions|treatment|treatments|care|"
    r"dose|doses|dosage|diagnosis|chart|record|records|medication|medications|prescription|therapy|condition|"
    r"depression|anxiety|ptsd|pain|symptoms|blood pressure|vitals|results|history|plan|provider|nurse|doctor)"
)

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (DATE, re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b")),
    (DATE, re.compile(r"\b(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])(?:/\d{2,4})?\b")),
    (DATE, re.compile(rf"\b{MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b", re.I)),
    (DATE, re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{MONTH}(?!\w)", re.I)),
    (DATE, re.compile(rf"\b(?:on|last|this|next|that)\s+{WEEKDAY}\b", re.I)),
    (DATE, re.compile(r"\b(?:yesterday|last (?:week|month|night))\b", re.I)),
    (TREATMENT, re.compile(r"\b\d+(?:\.\d+)?\s?(?:mg|mcg|µg|ml|cc|milligrams?|micrograms?)(?:/kg)?\b", re.I)),
    (
        TREATMENT,
        re.compile(
            rf"\b(?:{NUMBER_WORD}|{ORDINAL})\s+(?:\w+\s)?"
            r"(?:infusions?|sessions?|treatments?|injections?|doses?|visits?|appointments?)\b",
            re.I,
        ),
    ),
    (CARE, re.compile(rf"\byour\s+(?:\w+\s)?{CARE_NOUN}\b", re.I)),
    (CARE, re.compile(r"\byou\s+(?:were|are|came|come)\s+(?:here|in|seen|treated|diagnosed|our patient)\b", re.I)),
    (NAME, re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx)\.?\s+[A-Z][a-z]+")),
]
PHONE_PATTERN = re.compile(r"(?<![\d-])(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?![\d-])")
GREETING = re.compile(r"\b(?:Dear|Hi|Hello|Hey)\s+([A-Za-z]+)")
CAPITALISED = re.compile(r"\b[A-Z][a-z]+\b")


@dataclass(frozen=True)
class Finding:
    """One patient detail found in a reply."""

    kind: str
    text: str


def digits(text: str) -> str:
    """Return only the digits of a phone number, without a leading US country code."""
    only = re.sub(r"\D", "", text)
    return only[1:] if len(only) == 11 and only.startswith("1") else only


def screen_reply(text: str, clinic_phone: str = "") -> list[Finding]:
    """Return every patient detail found in a reply, in order of appearance; the clinic's own phone is allowed."""
    found: list[tuple[int, Finding]] = []
    own_phone = digits(clinic_phone)
    phone_spans = []
    for match in PHONE_PATTERN.finditer(text):
        phone_spans.append(match.span())
        if not own_phone or digits(match.group()) != own_phone:
            found.append((match.start(), Finding(PHONE, match.group().strip())))
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(text):
            if any(start <= match.start() < end for start, end in phone_spans):
                continue
            found.append((match.start(), Finding(kind, match.group().strip())))
    for match in GREETING.finditer(text):
        if match.group(1).lower() not in GREETING_OK:
            found.append((match.start(1), Finding(NAME, match.group(1))))
    for match in CAPITALISED.finditer(text):
        if match.group() in FIRST_NAMES:
            found.append((match.start(), Finding(NAME, match.group())))
    unique: dict[Finding, int] = {}
    for position, finding in sorted(found, key=lambda item: item[0]):
        unique.setdefault(finding, position)
    return list(unique)


def refusal_message(findings: list[Finding]) -> str:
    """Explain, in one message, what the owner must remove before the reply can be posted."""
    parts = "; ".join(f'{f.kind} ("{f.text}")' for f in findings)
    return (
        "Your reply was not posted because it may disclose patient details. "
        f"Please remove: {parts}. Replies are public; the standard reply (the button "
        "“Fill in the standard reply”) is always safe."
    )


# Checklist item 20 (ASKP3): a listing makes no "cure", "guaranteed" or "miracle" claims. The phrases are matched
# as whole words, case-insensitively; a match holds the text for a moderator rather than refusing it, because
# "we cannot guarantee results" is honest and only a person can tell the two apart.
PROHIBITED_CLAIMS: list[tuple[str, re.Pattern[str]]] = [
    ("cure", re.compile(r"\bcur(?:e|es|ed|ing|ative)\b", re.I)),
    ("guarantee", re.compile(r"\bguarantee(?:s|d)?\b", re.I)),
    ("miracle", re.compile(r"\bmiracle(?:s)?\b|\bmiraculous(?:ly)?\b", re.I)),
    ("100% success", re.compile(r"\b100\s?%\s*(?:success|effective|results?|of patients)", re.I)),
    ("permanent fix", re.compile(r"\bpermanent(?:ly)?\s+(?:fix|fixes|fixed|relief|cure|solution|recovery)\b", re.I)),
    ("risk-free", re.compile(r"\brisk[\s-]free\b|\bno\s+side[\s-]effects\b", re.I)),
    ("instant results", re.compile(r"\binstant(?:ly)?\s+(?:results?|relief|recovery)\b", re.I)),
    ("never come back", re.compile(r"\bnever\s+(?:come|comes)\s+back\b", re.I)),
]


def screen_listing_text(text: str) -> list[str]:
    """Return the prohibited claims (cure, guarantee, miracle...) found in listing text, each once, in list order."""
    return [label for label, pattern in PROHIBITED_CLAIMS if pattern.search(text or "")]


def screen_listing_fields(values: dict[str, str]) -> dict[str, list[str]]:
    """Return {field: phrases found} for the text fields that make a prohibited claim."""
    found = {field: screen_listing_text(text) for field, text in values.items()}
    return {field: phrases for field, phrases in found.items() if phrases}


def held_message(flagged: dict[str, list[str]], labels: dict[str, str]) -> str:
    """Explain to an owner which text was held for a moderator, and why."""
    parts = "; ".join(f"{labels.get(field, field)} ({', '.join(phrases)})" for field, phrases in flagged.items())
    return (
        f"A moderator will check this text before it appears, because it may promise results: {parts}. "
        "Listings may not claim a cure, a guarantee or a miracle. Everything else you changed is saved."
    )
