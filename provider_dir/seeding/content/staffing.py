"""Fictional staff and their credentials: NPIs with valid check digits, licences, DEA numbers, cards."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from provider_dir.credentials.vocab import CredentialKind, CredentialStatus, StaffRole
from provider_dir.seeding.content.clinics import FIRST_NAMES, LAST_NAMES
from provider_dir.seeding.quickrandom import QuickRandom

R = StaffRole
DEGREES = {
    R.MEDICAL_DIRECTOR: ["MD", "MD", "DO"],
    R.ANESTHESIOLOGIST: ["MD", "MD", "DO"],
    R.PSYCHIATRIST: ["MD", "MD", "DO"],
    R.CRNA: ["CRNA"],
    R.NURSE_PRACTITIONER: ["NP"],
    R.PHYSICIAN_ASSISTANT: ["PA-C"],
    R.REGISTERED_NURSE: ["RN"],
    R.THERAPIST: ["LCSW", "LCSW", "PhD"],
}
PHYSICIAN_DEGREES = frozenset({"MD", "DO"})
PRESCRIBER_DEGREES = frozenset({"MD", "DO", "NP", "PA-C"})
ACLS_DEGREES = frozenset({"MD", "DO", "CRNA", "NP", "PA-C"})
# Who leads the clinic decides who else works there (lead -> director board, likely other roles).
TEAM_SHAPES = {
    "anesthesia": ("anesthesiology", [R.CRNA, R.REGISTERED_NURSE, R.ANESTHESIOLOGIST, R.THERAPIST, R.REGISTERED_NURSE]),
    "psychiatry": ("psychiatry", [R.NURSE_PRACTITIONER, R.REGISTERED_NURSE, R.THERAPIST, R.PSYCHIATRIST, R.CRNA]),
    "crna": ("emergency medicine", [R.CRNA, R.REGISTERED_NURSE, R.CRNA, R.THERAPIST, R.PHYSICIAN_ASSISTANT]),
    "np": ("family medicine",
           [R.NURSE_PRACTITIONER, R.REGISTERED_NURSE, R.PHYSICIAN_ASSISTANT, R.THERAPIST, R.REGISTERED_NURSE]),
}
BOARDS = {
    "anesthesiology": "American Board of Anesthesiology",
    "psychiatry": "American Board of Psychiatry and Neurology",
    "emergency medicine": "American Board of Emergency Medicine",
    "pain medicine": "American Board of Anesthesiology (Pain Medicine)",
    "family medicine": "American Board of Family Medicine",
}
ROLE_BOARD = {R.ANESTHESIOLOGIST: "anesthesiology", R.PSYCHIATRIST: "psychiatry"}
LICENCE_PREFIX = {"MD": "MD", "DO": "DO", "CRNA": "APRN", "NP": "APRN", "PA-C": "PA", "RN": "RN", "LCSW": "LCSW",
                  "PhD": "PSY"}
BIOS = {
    R.MEDICAL_DIRECTOR: [
        "Oversees every treatment plan and reviews each patient's progress after the induction series.",
        "Spent over a decade in hospital practice before focusing on ketamine care for mood and pain.",
        "Sets the clinic's dosing and monitoring protocols and reviews them every year.",
    ],
    R.ANESTHESIOLOGIST: [
        "Brings years of operating-room experience with sedation and airway management.",
        "Supervises infusions and handles any change in blood pressure or breathing.",
    ],
    R.PSYCHIATRIST: [
        "Performs the psychiatric evaluation before a first infusion and follows mood scores over time.",
        "Works with patients' own therapists so ketamine fits a wider treatment plan.",
    ],
    R.CRNA: [
        "Delivers infusions on a pump and stays with patients from start to recovery.",
        "Trained in anesthesia care; keeps a close eye on vital signs throughout each session.",
    ],
    R.NURSE_PRACTITIONER: [
        "Leads intake visits and follow-ups, and coordinates with referring clinicians.",
        "A psychiatric nurse practitioner who tracks each patient's questionnaires across the series.",
    ],
    R.PHYSICIAN_ASSISTANT: ["Handles medical histories, screening and follow-up calls after infusions."],
    R.REGISTERED_NURSE: [
        "Starts IV lines, checks vitals and looks after patients while they recover.",
        "Known for calmly talking patients through their first infusion.",
    ],
    R.THERAPIST: [
        "Offers preparation and integration sessions between infusions.",
        "A licensed therapist focused on trauma, who runs integration sessions in person or by video.",
    ],
}


def person_name(rng: QuickRandom) -> tuple[str, str]:
    """Return (full name, last name) of a fictional person."""
    last = rng.choice(LAST_NAMES)
    return f"{rng.choice(FIRST_NAMES)} {last}", last


def team_roles(rng: QuickRandom, lead: str, size: int) -> list[tuple[StaffRole, str | None]]:
    """Return (role, board specialty or None) for a team of the given size led as described."""
    specialty, others = TEAM_SHAPES[lead]
    if lead == "np" and size == 1:
        return [(R.NURSE_PRACTITIONER, None)]
    if lead == "anesthesia" and rng.random() < 0.3:
        specialty = "pain medicine"
    roles: list[tuple[StaffRole, str | None]] = [(R.MEDICAL_DIRECTOR, specialty)]
    for role in others[: size - 1]:
        roles.append((role, ROLE_BOARD.get(role)))
    return roles


def dea_number(rng: QuickRandom, degree: str, last_name: str) -> str:
    """Return a DEA number in the real format (registrant letter, surname letter, 7 digits with check digit)."""
    first = "M" if degree in ("NP", "PA-C") else rng.choice("ABFG")
    six = f"{int(rng.random() * 1_000_000):06d}"
    d = [ord(ch) - 48 for ch in six]
    check = (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10
    return f"{first}{last_name[0].upper()}{six}{check}"


# Luhn over "80840" + 9 digits: the prefix contributes a fixed 24; payload digits at even offsets from the
# right (the first, third, ... ninth) are doubled.
_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)


def npi_from(first_nine: str) -> str:
    """Complete nine digits into a valid NPI (same result as credentials.npi.make_npi, faster)."""
    total = 24
    for i, ch in enumerate(first_nine):
        total += _DOUBLED[ord(ch) - 48] if i % 2 == 0 else ord(ch) - 48
    return f"{first_nine}{(10 - total % 10) % 10}"


def random_npi(rng: QuickRandom) -> str:
    """Return a fictional NPI with a valid Luhn check digit."""
    return npi_from(f"{1 + int(rng.random() * 2)}{int(rng.random() * 100_000_000):08d}")


def moment(day: date, rng: QuickRandom) -> datetime:
    """Return an aware UTC datetime during office hours of a day (13:00-22:59 UTC)."""
    minutes = int(rng.random() * 600)
    return datetime.combine(day, time(13 + minutes // 60, minutes % 60), tzinfo=UTC)


def credentials_for(rng: QuickRandom, *, role: StaffRole, degree: str, last_name: str, state: str,
                    board: str | None, today: date, verify_rate: float, lapse_rate: float) -> list[dict]:
    """Return a staff member's credentials as plain dicts (expired ones included)."""

    today_ordinal = today.toordinal()

    def expiry(span_days: int) -> date:
        if rng.random() < lapse_rate:
            return date.fromordinal(today_ordinal - 5 - int(rng.random() * 296))
        return date.fromordinal(today_ordinal + 30 + int(rng.random() * (span_days - 29)))

    creds = [dict(kind=CredentialKind.NPI, identifier=random_npi(rng), issuer="NPPES", expires_on=None)]
    creds.append(dict(kind=CredentialKind.STATE_LICENSE, issuer=state, expires_on=expiry(730),
                      identifier=f"{LICENCE_PREFIX[degree]}{10_000 + int(rng.random() * 990_000)}"))
    if board and degree in PHYSICIAN_DEGREES:
        creds.append(dict(kind=CredentialKind.BOARD_CERTIFICATION, issuer=BOARDS[board], expires_on=expiry(3650),
                          identifier=f"{10_000 + int(rng.random() * 90_000)}"))
    if degree in PRESCRIBER_DEGREES and role != R.THERAPIST:
        creds.append(dict(kind=CredentialKind.DEA, issuer="DEA", expires_on=expiry(1095),
                          identifier=dea_number(rng, degree, last_name)))
    if degree in ACLS_DEGREES or (degree == "RN" and rng.random() < 0.5):
        creds.append(dict(kind=CredentialKind.ACLS, issuer="American Heart Association", expires_on=expiry(730),
                          identifier=f"{10**11 + int(rng.random() * 9 * 10**11)}"))
    elif degree == "RN" or rng.random() < 0.3:
        creds.append(dict(kind=CredentialKind.BLS, issuer="American Heart Association", expires_on=expiry(730),
                          identifier=f"{10**11 + int(rng.random() * 9 * 10**11)}"))
    for cred in creds:
        if verify_rate and rng.random() < verify_rate:
            cred["status"] = CredentialStatus.VERIFIED
            cred["verified_at"] = moment(date.fromordinal(today_ordinal - 10 - int(rng.random() * 411)), rng)
        else:
            cred["status"], cred["verified_at"] = CredentialStatus.SELF_REPORTED, None
    return creds


def build_team(rng: QuickRandom, *, lead: str, size: int, state: str, today: date,
               verify_rate: float, lapse_rate: float) -> list[dict]:
    """Return a clinic's staff as dicts, each with its credentials."""
    team = []
    for order, (role, board) in enumerate(team_roles(rng, lead, size)):
        full_name, last = person_name(rng)
        if lead == "np" and role == R.MEDICAL_DIRECTOR:
            degree = "DO" if rng.random() < 0.4 else "MD"
        else:
            degree = rng.choice(DEGREES[role])
        team.append(dict(
            full_name=full_name, degree=degree, role=role, sort_order=order,
            bio=rng.choice(BIOS[role]),
            credentials=credentials_for(rng, role=role, degree=degree, last_name=last, state=state, board=board,
                                        today=today, verify_rate=verify_rate, lapse_rate=lapse_rate),
        ))
    return team
