"""Believable, fictional listing details: names, descriptions, hours, prices, access notes."""

from __future__ import annotations

import re

from provider_dir.listings.vocab import Condition, Route
from provider_dir.seeding.quickrandom import QuickRandom

NAME_LEADS = [
    "Cedar Grove", "Bright Harbor", "Northstar", "Stillwater", "Evergreen", "Clearview", "Lumen", "Bluebird",
    "Juniper", "Ridgeline", "Haven", "Meridian", "Tidewater", "Aspen", "Sequoia", "Willow Creek", "Pinecrest",
    "Sunrise", "Horizon", "Riverbend", "Lighthouse", "Kindred", "Solace", "Beacon", "True North", "Open Sky",
    "Morning Light", "Sagebrush", "Fieldstone", "Copperleaf", "Blue Mesa", "Bayview", "Lakeshore", "Magnolia",
    "Dogwood", "Red Rock", "Quiet Water", "Silver Birch", "Harborlight", "Greenway", "Oakhaven", "Cypress",
    "Larkspur", "Summit", "Wayfinder", "Keystone", "Brightwater", "Mosaic", "Tranquil Pines", "Hollow Oak",
]
NAME_CORES = [
    "Ketamine Clinic", "Infusion Center", "Wellness", "Ketamine & Wellness", "Infusion Therapy", "Mental Health",
    "Psychiatry & Infusion", "Integrative Psychiatry", "Healing Center", "Ketamine Institute", "Infusion Clinic",
    "Mind & Body Infusions", "Pain & Mood Center", "Behavioral Health", "Ketamine Therapy", "Neuropsychiatry",
]
CITY_CORES = ["Ketamine Institute", "Infusion Therapy", "Ketamine Center", "Infusion Partners", "Mood & Pain Clinic"]
FOUNDER_CORES = [
    "Psychiatry & Ketamine", "Anesthesia & Infusion", "Infusion Medicine", "Psychiatric Associates",
    "Pain & Infusion Specialists",
]
BRANDS = [
    "Mindbridge Health", "Ascend Infusions", "Elevate Ketamine Care", "Renew IV & Wellness", "Resilience Ketamine",
    "NeuroReset Clinic", "Kinetic Mind Infusions", "Vitalis Infusions", "Reclaim Mental Health", "Clarity Infusions",
    "Anchor Point Psychiatry", "Second Wind Ketamine", "Thrive Infusion Studio", "Fresh Start Ketamine",
    "Lifted Mind Clinic", "Wellspring Infusions", "New Leaf Ketamine", "Steady Ground Psychiatry",
]
FIRST_NAMES = [
    "Aaron", "Adaeze", "Aisha", "Alejandro", "Alicia", "Amara", "Andrea", "Anil", "Beatriz", "Benjamin", "Bianca",
    "Caleb", "Camila", "Carmen", "Chen", "Chidi", "Claire", "Daniel", "Deepa", "Diego", "Elena", "Elijah", "Emeka",
    "Erin", "Fatima", "Felix", "Gabriel", "Grace", "Hana", "Hector", "Imani", "Isaac", "Ivy", "Jamal", "Javier",
    "Jenna", "Joanna", "Jonah", "Kavya", "Keiko", "Kenji", "Laila", "Leah", "Lucas", "Maya", "Malik", "Marisol",
    "Mateo", "Megan", "Mei", "Miriam", "Nadia", "Naomi", "Nikhil", "Noah", "Olivia", "Omar", "Owen", "Priya",
    "Rafael", "Rebecca", "Rohan", "Ruth", "Samir", "Sara", "Sean", "Sofia", "Tamara", "Theo", "Tomas", "Uma",
    "Valeria", "Victor", "Wen", "Yara", "Yusuf", "Zoe", "Zainab", "Graham", "Hollis",
]
LAST_NAMES = [
    "Abernathy", "Adeyemi", "Alvarado", "Ambrose", "Bachman", "Baptiste", "Bhattacharya", "Blackwood", "Brandt",
    "Castellano", "Chaudhry", "Cho", "Costa", "Dalton", "Delacroix", "Desai", "Dunmore", "Ellison", "Escobar",
    "Fairbanks", "Farouk", "Fontaine", "Galloway", "Gutierrez", "Halvorsen", "Hargrove", "Hashemi", "Holloway",
    "Ibarra", "Iyer", "Jaramillo", "Kaminski", "Kapoor", "Kowalczyk", "Lindqvist", "Lorenzo", "Mahoney",
    "Marchetti", "Mbeki", "Mendelson", "Morales", "Nakamura", "Nguyen", "Novak", "Nwosu", "Okafor", "Oyelaran",
    "Pellegrino", "Petrosyan", "Quintero", "Rasmussen", "Reinholt", "Sandoval", "Sato", "Serrano", "Shapiro",
    "Sorensen", "Tanaka", "Thibodeaux", "Trujillo", "Underwood", "Vasquez", "Villanueva", "Wainwright", "Whitfield",
    "Yamamoto", "Zielinski", "Zubiri", "Calloway", "Rosenthal",
]
STREET_NAMES = [
    "Main", "Oak", "Maple", "Park", "Lake", "Cedar", "Elm", "Washington", "Lincoln", "Jefferson", "Highland",
    "Madison", "Franklin", "Chestnut", "Walnut", "Spruce", "Sycamore", "Willow", "River", "Hillcrest", "Sunset",
    "Broad", "Market", "Church", "Union", "College", "Grand", "Central", "Ridge", "Meadow", "Forest", "Prospect",
    "Harbor", "Mill", "Summit", "Pleasant", "Orchard", "Fairview", "Jackson", "Monroe",
]
STREET_KINDS = ["St", "Ave", "Blvd", "Rd", "Dr", "Pkwy", "Way", "Ln"]
SUITES = ["Suite {n}", "Suite {n}", "Ste {n}", "Unit {n}", "Floor {f}", ""]
HOURS = [
    "Mon-Fri 8:00 am-5:00 pm",
    "Mon-Fri 9:00 am-6:00 pm; Sat 9:00 am-1:00 pm",
    "Mon, Wed, Fri 8:30 am-4:30 pm; Tue, Thu 10:00 am-7:00 pm",
    "Tue-Sat 10:00 am-7:00 pm",
    "Mon-Thu 7:30 am-6:00 pm; Fri 7:30 am-2:00 pm",
    "Mon-Fri 9:00 am-5:00 pm; evening infusions Thu until 8:00 pm",
    "Mon-Sat 8:00 am-8:00 pm",
    "Mon-Fri 10:00 am-6:00 pm; first Saturday of the month 9:00 am-2:00 pm",
    "By appointment, Mon-Fri",
]
ACCESSIBILITY = [
    "Step-free entrance, accessible restroom and an elevator to our floor.",
    "Ground-floor suite with automatic doors; recliners can be swapped for a transfer-friendly chair.",
    "Second floor with no elevator; tell us when you book and we will arrange a ground-floor room.",
    "Service animals welcome. A low-light quiet room is available for sensory sensitivities.",
    "Reserved accessible parking by the door; ASL interpreters on request with 48 hours' notice.",
    "Wide doorways and an accessible restroom; large-print consent forms on request.",
    "Level entry from the parking garage; staff can meet you at the curb with a wheelchair.",
    "Elevator access; the building's main entrance has a ramp on the north side.",
]
# Whether each accessibility text above describes wheelchair access (None: it does not say).
WHEELCHAIR = dict(zip(ACCESSIBILITY, (True, True, False, None, None, True, True, True), strict=True))
LANGUAGE_EXTRAS = {
    "default": ["Spanish"],
    "NY": ["Spanish", "Russian", "Mandarin", "Haitian Creole", "Cantonese"],
    "CA": ["Spanish", "Korean", "Mandarin", "Tagalog", "Vietnamese"],
    "TX": ["Spanish", "Vietnamese"],
    "FL": ["Spanish", "Haitian Creole", "Portuguese"],
    "MA": ["Portuguese", "Spanish", "Haitian Creole"],
    "MN": ["Somali", "Hmong", "Spanish"],
    "MI": ["Arabic", "Spanish"],
    "WA": ["Vietnamese", "Spanish", "Korean"],
    "IL": ["Spanish", "Polish"],
}
SINCE_YEARS = list(range(2014, 2025))

OPENINGS = [
    "{name} is a physician-led practice in {city} that has offered ketamine treatment since {year}.",
    "Founded in {year}, {name} treats adults in and around {city} who have not found enough relief elsewhere.",
    "{name} opened in {city} in {year} with one infusion chair; today it runs {chairs} private treatment rooms.",
    "At {name} in {city}, every treatment plan starts with a full medical and psychiatric evaluation.",
    "{name} is an independent clinic in {city}, not part of a franchise, treating patients since {year}.",
    "Since {year}, {name} has worked alongside {city}-area psychiatrists and pain physicians who refer to us.",
]
TEAMS = {
    "anesthesia": [
        "Infusions are supervised by a board-certified anesthesiologist, with nurses trained in sedation care.",
        "Our medical director is an anesthesiologist; a CRNA or physician stays in the room for every infusion.",
    ],
    "psychiatry": [
        "The practice is led by a psychiatrist, so ketamine is one part of a wider psychiatric treatment plan.",
        "A psychiatrist sees every new patient, and follow-up visits track mood scores across the series.",
    ],
    "crna": [
        "Our CRNAs run each infusion on a pump and monitor you from the first minute until you are ready to leave.",
        "Nurse anesthetists deliver every infusion under the oversight of a collaborating physician.",
    ],
    "np": [
        "Care is delivered by psychiatric nurse practitioners with a consulting physician reviewing each plan.",
        "A nurse practitioner leads intake and dosing, with a physician available by phone during clinic hours.",
    ],
}
COMFORT = [
    "Rooms have recliners, weighted blankets, eye masks and noise-cancelling headphones.",
    "Each room is private, with dimmable lights and a playlist you can choose or bring yourself.",
    "A support person is welcome to sit with you during the infusion.",
    "We keep the waiting area quiet and small so you rarely share it with more than one other person.",
    "Patients rest after the infusion in a recovery chair until they feel back to themselves.",
]
PRACTICAL = [
    "Free parking is behind the building.",
    "We are a short walk from the nearest transit stop.",
    "Validated garage parking is available on the ground floor.",
    "Please arrange a ride home: you cannot drive on the day of an infusion.",
    "New-patient paperwork is sent by email so you can fill it in before your visit.",
    "Consultations are available by video before you commit to a series.",
]
CLOSINGS = [
    "With your permission we share progress notes with your own psychiatrist or GP.",
    "Integration sessions with a licensed therapist are offered between infusions.",
    "We measure progress with PHQ-9, GAD-7 or pain scores at every visit and review them with you.",
    "Maintenance infusions are planned only when the induction series has clearly helped.",
    "If ketamine is not right for you, we will say so and help you find another option.",
]
HYPE = [
    "Our patients call it a miracle, and results are guaranteed or your next infusion is free.",
    "Ketamine is the breakthrough cure that traditional medicine does not want you to know about.",
]
ROUTE_LINES = {
    Route.ESKETAMINE: "Spravato (esketamine nasal spray) is offered in a REMS-certified setting with two hours of "
                      "observation.",
    Route.IM: "Intramuscular ketamine is available for patients for whom an IV line is difficult.",
    Route.ORAL: "Sublingual ketamine is used only together with ketamine-assisted psychotherapy sessions.",
}
CONDITION_WORDS = {c: c.label.lower() for c in Condition}
CONDITION_WORDS.update({Condition.PTSD: "PTSD", Condition.OCD: "OCD", Condition.CRPS: "CRPS"})


def slugify(text: str) -> str:
    """Return a lower-case, hyphenated slug of ASCII letters and digits."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower().replace("&", "and")).strip("-")


def clinic_name(rng: QuickRandom, city: str) -> str:
    """Return a believable clinic name (not always 'X Ketamine Clinic')."""
    pattern = rng.random()
    if pattern < 0.55:
        return f"{rng.choice(NAME_LEADS)} {rng.choice(NAME_CORES)}"
    if pattern < 0.70:
        return f"{city} {rng.choice(CITY_CORES)}"
    if pattern < 0.82:
        return f"{rng.choice(LAST_NAMES)} {rng.choice(FOUNDER_CORES)}"
    return rng.choice(BRANDS)


def street_address(rng: QuickRandom) -> str:
    """Return a believable street address, sometimes with a suite."""
    number = rng.choice([rng.randint(100, 999), rng.randint(1000, 9899), rng.randint(10, 99)])
    street = f"{number} {rng.choice(STREET_NAMES)} {rng.choice(STREET_KINDS)}"
    suite = rng.choice(SUITES).format(n=rng.choice([100, 110, 120, 200, 210, 250, 300, 305, 400, 410]),
                                      f=rng.randint(2, 9))
    return f"{street}, {suite}" if suite else street


def fictional_phone(area_code: str, index: int) -> str:
    """Return a reserved fictional number: (area) 555-0100 to 555-0199."""
    return f"({area_code}) 555-01{index % 100:02d}"


def website_for(slug: str) -> str:
    """Return a website on the reserved .example top-level domain."""
    return f"https://{slug}.example"


def languages_for(rng: QuickRandom, state: str) -> list[str]:
    """Return English plus, often, one or two languages common in the state."""
    extras = LANGUAGE_EXTRAS.get(state, LANGUAGE_EXTRAS["default"])
    count = rng.weighted([0, 1, 2], [40, 45, 15])
    return ["English", *rng.sample(extras, min(count, len(extras)))]


def prices(rng: QuickRandom, routes: list[Route]) -> tuple[int | None, int | None, int | None]:
    """Return (per infusion, series price, infusions in the series), or Nones when not published."""
    if Route.IV not in routes and Route.IM not in routes:
        return None, None, None  # esketamine and oral courses are billed differently
    per = rng.randrange(350, 801, 25)
    series_n = rng.choice((6, 6, 6, 4, 8))
    discount = rng.choice([0.0, 0.05, 0.10, 0.10, 0.15])
    series = int(round(per * series_n * (1 - discount) / 50.0) * 50)
    return per, series, series_n


def describe(rng: QuickRandom, *, name: str, city: str, lead: str, routes: list[Route],
             conditions: list[Condition], hype: bool = False) -> str:
    """Compose a short description that differs from clinic to clinic."""
    focus = [CONDITION_WORDS[c] for c in conditions[:3]]
    focus_text = focus[0] if len(focus) == 1 else ", ".join(focus[:-1]) + " and " + focus[-1]
    parts = [
        rng.choice(OPENINGS).format(name=name, city=city, year=rng.choice(SINCE_YEARS), chairs=rng.randint(2, 6)),
        rng.choice(TEAMS[lead]),
        f"Most of our patients come to us for {focus_text}.",
    ]
    parts.extend(ROUTE_LINES[r] for r in routes if r in ROUTE_LINES)
    parts.extend(rng.sample(COMFORT, 1) + rng.sample(PRACTICAL, 1) + rng.sample(CLOSINGS, rng.randint(0, 1)))
    if hype:
        parts.append(rng.choice(HYPE))
    return " ".join(parts)
