"""Write the demo data files in seeds/demo/ (run once; the same SEED reproduces them byte for byte).

    .venv/bin/python seeds/generate_demo.py            # rewrites seeds/demo/*.json
    .venv/bin/python seeds/generate_demo.py --out DIR  # writes elsewhere (the tests compare the two)

Every clinic, person, phone number and review is fictional. Clinics sit at real ZIP centroids of real metros
(from the `zipcodes` package); phones are 555-01xx numbers; websites use the reserved .example domain.
Dates are fixed relative to ANCHOR, so the files do not change from day to day.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from provider_dir.listings.vocab import ClinicStatus, Condition, InsuranceOption, Route  # noqa: E402
from provider_dir.moderation.vocab import RejectionReason  # noqa: E402
from provider_dir.reviews.vocab import ReviewStatus  # noqa: E402
from provider_dir.seeding.checklist import answers_for  # noqa: E402
from provider_dir.seeding.content import clinics as cc  # noqa: E402
from provider_dir.seeding.content.review_fields import draw_rating, review_fields  # noqa: E402
from provider_dir.seeding.content.review_text import REJECTED_EXTRAS, compose_review  # noqa: E402
from provider_dir.seeding.content.staffing import BOARDS, build_team, moment  # noqa: E402
from provider_dir.seeding.places import zips_of_city  # noqa: E402
from provider_dir.seeding.quickrandom import QuickRandom  # noqa: E402

SEED = 20261126
ANCHOR = date(2026, 11, 26)
HERE = Path(__file__).resolve().parent
ACCOUNTS_FILE = HERE / "demo_accounts.json"
# (metro, state, postal cities whose ZIPs we use, number of clinics)
METROS = [
    ("New York", "NY", ["New York", "Brooklyn"], 12), ("Los Angeles", "CA", ["Los Angeles"], 10),
    ("Chicago", "IL", ["Chicago"], 8), ("Houston", "TX", ["Houston"], 7),
    ("Phoenix", "AZ", ["Phoenix", "Scottsdale"], 6),
    ("Philadelphia", "PA", ["Philadelphia"], 6), ("San Antonio", "TX", ["San Antonio"], 4),
    ("San Diego", "CA", ["San Diego"], 6), ("Dallas", "TX", ["Dallas"], 6), ("Austin", "TX", ["Austin"], 6),
    ("Denver", "CO", ["Denver"], 6), ("Seattle", "WA", ["Seattle"], 6), ("Portland", "OR", ["Portland"], 5),
    ("Boston", "MA", ["Boston", "Cambridge"], 6), ("Atlanta", "GA", ["Atlanta"], 6), ("Miami", "FL", ["Miami"], 6),
    ("Minneapolis", "MN", ["Minneapolis"], 4), ("Nashville", "TN", ["Nashville"], 5),
    ("Salt Lake City", "UT", ["Salt Lake City"], 4), ("Las Vegas", "NV", ["Las Vegas"], 4),
    ("Charlotte", "NC", ["Charlotte"], 4), ("Detroit", "MI", ["Detroit"], 4), ("St. Louis", "MO", ["Saint Louis"], 4),
    ("Kansas City", "MO", ["Kansas City"], 3), ("Raleigh", "NC", ["Raleigh"], 3),
    ("Albuquerque", "NM", ["Albuquerque"], 3), ("San Francisco", "CA", ["San Francisco"], 6),
    ("Washington", "DC", ["Washington"], 5), ("Baltimore", "MD", ["Baltimore"], 3), ("Tampa", "FL", ["Tampa"], 3),
    ("Columbus", "OH", ["Columbus"], 3), ("Pittsburgh", "PA", ["Pittsburgh"], 3),
    ("New Orleans", "LA", ["New Orleans"], 3), ("Sacramento", "CA", ["Sacramento"], 3),
]
TIERS = (("strong", 25), ("solid", 35), ("basic", 25), ("weak", 15))
LEADS = {"strong": (40, 40, 15, 5), "solid": (35, 35, 20, 10), "basic": (30, 25, 25, 20), "weak": (15, 20, 30, 35)}
TEAM_SIZE = {"strong": (3, 6), "solid": (2, 5), "basic": (2, 4), "weak": (1, 3)}
CRED_RATES = {"strong": (0.6, 0.04), "solid": (0.3, 0.1), "basic": (0.1, 0.18), "weak": (0.0, 0.3)}
REVIEW_COUNTS = ((0, 0, 5), (1, 4, 15), (5, 10, 35), (11, 20, 30), (21, 40, 15))
ADJECTIVES = ["quiet", "brave", "gentle", "steady", "hopeful", "sunny", "patient", "curious", "calm", "bright",
              "misty", "tidal", "amber", "silver", "rustic", "velvet", "golden", "windy", "cobalt", "mellow"]
ANIMALS = ["heron", "otter", "finch", "badger", "lynx", "sparrow", "marten", "plover", "fox", "wren", "moose",
           "egret", "tern", "bison", "ibis", "hare", "owl", "seal", "crane", "robin"]


def iso(value: date | datetime | None) -> str | None:
    """Return a date or datetime as ISO text (None stays None)."""
    return value.isoformat() if value is not None else None


def jsonable(value):
    """Turn enums, dates and containers into JSON values."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, date | datetime):
        return iso(value)
    if hasattr(value, "value"):
        return value.value
    return value


def pick(rng: QuickRandom, weighted) -> str:
    """Draw a name from (name, weight) pairs."""
    names, weights = zip(*weighted, strict=True)
    return rng.weighted(names, weights)


def routes_and_conditions(rng: QuickRandom, lead: str, has_therapist: bool) -> tuple[list[Route], list[Condition]]:
    """Return what a clinic offers, fitting who leads it."""
    if lead == "psychiatry" and rng.random() < 0.12:
        routes = [Route.ESKETAMINE]
    else:
        routes = [Route.IV]
        if rng.random() < 0.15:
            routes.append(Route.IM)
        if lead == "psychiatry" and rng.random() < 0.45 or rng.random() < 0.12:
            routes.append(Route.ESKETAMINE)
        if has_therapist and rng.random() < 0.25:
            routes.append(Route.ORAL)
    conditions = [Condition.DEPRESSION]
    for condition, chance in ((Condition.ANXIETY, 0.8), (Condition.PTSD, 0.7), (Condition.OCD, 0.3),
                              (Condition.BIPOLAR, 0.35), (Condition.SUICIDAL, 0.25)):
        if rng.random() < chance:
            conditions.append(condition)
    pain = 0.75 if lead == "anesthesia" else 0.25
    if Route.IV in routes:
        for condition in (Condition.FIBROMYALGIA, Condition.CRPS, Condition.NEUROPATHIC, Condition.MIGRAINE,
                          Condition.OTHER_PAIN):
            if rng.random() < pain:
                conditions.append(condition)
    order = list(Condition)
    return sorted(set(routes), key=list(Route).index), sorted(set(conditions), key=order.index)


def build_clinic(rng: QuickRandom, metro, zip_, index: int, used_names: set[str], moderator: str) -> dict:
    """Return one clinic with its staff, credentials and checklist answers."""
    tier = pick(rng, TIERS)
    lead = rng.weighted(["anesthesia", "psychiatry", "crna", "np"], LEADS[tier])
    low, high = TEAM_SIZE[tier]
    size = rng.randint(low, high)
    verify_rate, lapse_rate = CRED_RATES[tier]
    team = build_team(rng, lead=lead, size=size, state=zip_.state, today=ANCHOR, verify_rate=verify_rate,
                      lapse_rate=lapse_rate)
    has_therapist = any(m["role"].value == "therapist" for m in team)
    routes, conditions = routes_and_conditions(rng, lead, has_therapist)
    name = cc.clinic_name(rng, metro[0])
    while name in used_names:
        name = cc.clinic_name(rng, metro[0])
    used_names.add(name)
    per, series, series_n = cc.prices(rng, routes)
    if tier == "weak" and per and rng.random() < 0.35:
        per, series, series_n = None, None, None
    hype = tier == "weak" and rng.random() < 0.4
    focus = rng.sample(conditions, min(3, len(conditions)))
    slug = cc.slugify(name if metro[0] in name or zip_.city in name else f"{name} {zip_.city}")
    website = cc.website_for(slug)
    director = team[0]
    kinds = {c["kind"].value: c for c in director["credentials"]}
    dated = [kinds[k]["expires_on"] for k in ("state_license", "dea") if k in kinds]
    acls = [c["expires_on"] for m in team for c in m["credentials"] if c["kind"].value == "acls"]
    board_cert = next((c["issuer"] for c in director["credentials"] if c["kind"].value == "board_certification"),
                      None)
    board = next((k for k, v in BOARDS.items() if v == board_cert), None)
    checklist = answers_for(rng, tier, today=ANCHOR, state=zip_.state, board=board, has_therapist=has_therapist,
                            prices_published=per is not None, hype=hype, website=website,
                            expiries={"C01": min(dated) if dated else None, "C03": max(acls) if acls else None})
    for member in team:
        for cred in member["credentials"]:
            cred["verified_by"] = moderator if cred["verified_at"] else None
    for answer in checklist:
        answer["verified_by"] = moderator if answer["verified_at"] else None
    insurance = InsuranceOption.IN_NETWORK if routes == [Route.ESKETAMINE] else rng.weighted(
        list(InsuranceOption), (30, 55, 15))
    created = moment(ANCHOR - timedelta(days=rng.randint(1100, 1500)), rng)
    return dict(
        slug=slug,
        name=name,
        description=cc.describe(rng, name=name, city=zip_.city, lead=lead, routes=routes, conditions=focus,
                                hype=hype),
        street=cc.street_address(rng), city=zip_.city, state=zip_.state, zip_code=zip_.code,
        latitude=zip_.latitude, longitude=zip_.longitude,
        phone=cc.fictional_phone(zip_.area_code, index), website=website, hours=rng.choice(cc.HOURS),
        routes=routes, conditions=conditions,
        price_per_infusion_usd=per, price_series_usd=series, series_infusions=series_n, insurance=insurance,
        languages=cc.languages_for(rng, zip_.state), accessibility=rng.choice(cc.ACCESSIBILITY),
        accepting_new_patients=rng.random() < 0.85, telehealth_intake=rng.random() < 0.45,
        status=ClinicStatus.PUBLISHED, last_verified_on=ANCHOR - timedelta(days=rng.randint(3, 300)),
        created_at=created, tier=tier, staff=team, checklist=checklist,
    )


def reviewer_name(rng: QuickRandom, taken: set[str]) -> str:
    """Return a fresh pseudonym such as quiet_heron_42."""
    while True:
        name = f"{rng.choice(ADJECTIVES)}_{rng.choice(ANIMALS)}_{rng.randint(2, 99)}"
        if name not in taken:
            taken.add(name)
            return name


def review_status(rng: QuickRandom, created: datetime) -> tuple[ReviewStatus, RejectionReason | None]:
    """Return a moderation outcome; the newest reviews are still waiting."""
    if (ANCHOR - created.date()).days < 3:
        return ReviewStatus.PENDING, None
    roll = rng.random()
    if roll < 0.84:
        return ReviewStatus.APPROVED, None
    if roll < 0.92:
        return ReviewStatus.PENDING, None
    if roll < 0.975:
        return ReviewStatus.REJECTED, rng.choice(list(RejectionReason))
    return ReviewStatus.WITHDRAWN, None


def build_review(rng: QuickRandom, clinic: dict, tier: str, author: str, bodies: set[str]) -> dict:
    """Return one review whose answers and words agree with its rating."""
    has_therapist = any(m["role"].value == "therapist" for m in clinic["staff"])
    rating = draw_rating(rng, tier)
    fields = review_fields(rng, rating=rating, tier=tier, routes=clinic["routes"], conditions=clinic["conditions"],
                           has_therapist=has_therapist)
    title, body = compose_review(rng, fields, price=clinic["price_per_infusion_usd"])
    while body in bodies:
        title, body = compose_review(rng, fields, price=clinic["price_per_infusion_usd"])
    bodies.add(body)
    days_ago = int(1095 * rng.random() ** 1.3)
    created = moment(ANCHOR - timedelta(days=days_ago), rng)
    status, reason = review_status(rng, created)
    if status == ReviewStatus.PENDING and days_ago > 40:  # old pending reviews are rare: move it to recent
        created = moment(ANCHOR - timedelta(days=rng.randint(0, 30)), rng)
    if reason is not None:
        body = f"{body} {REJECTED_EXTRAS[reason.value]}"
    decided = min(created + timedelta(days=rng.randint(1, 4), hours=rng.randint(0, 8)),
                  datetime.combine(ANCHOR, datetime.min.time(), tzinfo=created.tzinfo))
    edited = status != ReviewStatus.PENDING and rng.random() < 0.05
    return dict(
        clinic=clinic["slug"], author=author, **fields, title=title, body=body, status=status,
        rejection_reason=reason, verified_patient=rng.random() < 0.15, version=2 if edited else 1,
        created_at=created,
        updated_at=created if status == ReviewStatus.PENDING else decided,
        published_at=decided if status == ReviewStatus.APPROVED else None,
        moderated_at=decided if status in (ReviewStatus.APPROVED, ReviewStatus.REJECTED) else None,
    )


def generate() -> dict[str, object]:
    """Build every demo file's content, deterministically from SEED."""
    rng = QuickRandom(SEED)
    accounts = json.loads(ACCOUNTS_FILE.read_text(encoding="utf-8"))["accounts"]
    by_role = {a["role"]: a["email"] for a in accounts}
    clinics, tiers, used_names = [], {}, set()
    for metro in METROS:
        zips = [z for city in metro[2] for z in zips_of_city(city, metro[1])]
        for index, zip_ in enumerate(rng.sample(zips, metro[3])):
            clinic = build_clinic(rng, metro, zip_, index, used_names, by_role["moderator"])
            tiers[clinic["slug"]] = clinic.pop("tier")
            clinics.append(clinic)
    slugs = [c["slug"] for c in clinics]
    assert len(set(slugs)) == len(slugs), "demo slugs must be unique"
    assert not any(s[-1].isdigit() for s in slugs), "demo slugs never end in digits (synthetic ones do)"
    weak = [c for c in clinics if tiers[c["slug"]] == "weak"]
    for clinic in rng.sample(weak, 2):
        clinic["status"] = ClinicStatus.SUSPENDED
    for clinic in rng.sample([c for c in clinics if c["status"] == ClinicStatus.PUBLISHED], 2):
        clinic["status"], clinic["last_verified_on"] = ClinicStatus.DRAFT, None
    owned = [c for c in clinics if c["city"] == "Austin"][:2]
    memberships = [dict(email=by_role["clinic_owner"], clinic=c["slug"], role="owner") for c in owned]

    users, reviews, taken, bodies = [], [], set(), set()
    metro_reviewers: dict[str, list[str]] = {}
    for clinic in clinics:
        if clinic["status"] == ClinicStatus.DRAFT:
            continue
        low, high, _ = rng.weighted(REVIEW_COUNTS, [w for *_, w in REVIEW_COUNTS])
        regulars = metro_reviewers.setdefault(clinic["state"], [])
        authors: set[str] = set()
        for _ in range(rng.randint(low, high)):
            pool = [r for r in regulars if r not in authors]
            if pool and rng.random() < 0.25:
                author = rng.choice(pool)
            else:
                name = reviewer_name(rng, taken)
                author = f"{name}@patients.demo.example"
                users.append(dict(email=author, display_name=name, role="patient",
                                  password_hash=f"!{rng.getrandbits(128):032x}"))
                regulars.append(author)
            authors.add(author)
            reviews.append(build_review(rng, clinic, tiers[clinic["slug"]], author, bodies))
    patient = by_role["patient"]
    for clinic in rng.sample([c for c in clinics if c["status"] == ClinicStatus.PUBLISHED and c not in owned], 3):
        reviews.append(build_review(rng, clinic, tiers[clinic["slug"]], patient, bodies))
    first_review = {}
    for review in reviews:
        first_review[review["author"]] = min(first_review.get(review["author"], review["created_at"]),
                                             review["created_at"])
    for user in users:
        user["created_at"] = first_review[user["email"]] - timedelta(minutes=rng.randint(5, 600))
    reviews.sort(key=lambda r: (r["created_at"], r["clinic"], r["author"]))
    return {
        "clinics.json": clinics,
        "users.json": users,
        "memberships.json": memberships,
        "reviews.json": reviews,
    }


def write(out: Path) -> list[Path]:
    """Write the demo files (one record per line) into a folder and return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, content in generate().items():
        path = out / name
        lines = ",\n".join(json.dumps(jsonable(item), ensure_ascii=False) for item in content)
        path.write_text(f"[\n{lines}\n]\n", encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    """Parse --out and write the files."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE / "demo", help="folder to write the JSON files into")
    for path in write(parser.parse_args().out):
        print(f"wrote {path.name} ({path.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
