"""Synthetic clinics for scale work, clustered like the US population, written with Core bulk inserts.

Per clinic: 1-4 staff with 2-5 credentials each, about 6 checklist answers and 0-8 reviews by a shared
pool of synthetic reviewer accounts (about one account per two clinics; they cannot log in). Review texts
are drawn from a few composed variants per kind of visit, so at scale they repeat. Rows are
pre-generated from one seeded random source (QuickRandom, a random.Random) with ids chosen up front, so the
same seed, count, day and starting database give the same rows, and a second run continues after the
highest ids.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import Session

from provider_dir.accounts.models import User
from provider_dir.accounts.vocab import UserRole
from provider_dir.credentials.models import Credential, StaffMember
from provider_dir.geo.distance import search_point
from provider_dir.geo.filters.bits import INPUT_COLUMNS as FACET_INPUTS
from provider_dir.geo.filters.bits import facets_of, tallies_of
from provider_dir.hours.services import hours_columns
from provider_dir.listings.models import Clinic
from provider_dir.listings.vocab import ClinicStatus, Condition, InsuranceOption, Route
from provider_dir.models.collector import collector_paused
from provider_dir.reviews.models import Review
from provider_dir.reviews.vocab import ReviewStatus
from provider_dir.scoring.models import ChecklistAnswer
from provider_dir.seeding.bulk import (
    bulk_load_settings,
    insert_rows,
    next_id,
    sync_id_sequences,
    write_prepared,
)
from provider_dir.seeding.checklist import Profile, answers_for
from provider_dir.seeding.content import clinics as cc
from provider_dir.seeding.content.review_fields import (
    CONDITION_WEIGHT,
    ROUTE_WEIGHT,
    draw_rating,
    review_fields,
    side_effects_mask,
)
from provider_dir.seeding.content.review_text import compose_review
from provider_dir.seeding.content.staffing import BOARDS, build_team, moment
from provider_dir.seeding.denormalise import refresh_denormalised
from provider_dir.seeding.pipeline import can_fork, prepared_chunks
from provider_dir.seeding.places import PopulationSampler, population_sampler
from provider_dir.seeding.quickrandom import QuickRandom

TIERS, TIER_WEIGHTS = ("strong", "solid", "basic", "weak"), (8, 22, 35, 35)
LEADS, LEAD_WEIGHTS = ("anesthesia", "psychiatry", "crna", "np"), (35, 30, 20, 15)
PROFILES = {  # sparser than the demo: most listings at scale have answered little of the checklist
    "strong": Profile(0.70, 0.50, 0, 0.0),
    "solid": Profile(0.50, 0.25, 0, 0.0),
    "basic": Profile(0.30, 0.08, 1, 0.0),
    "weak": Profile(0.15, 0.00, 3, 0.0),
}
CRED_RATES = {"strong": (0.5, 0.05), "solid": (0.25, 0.1), "basic": (0.08, 0.18), "weak": (0.0, 0.3)}
REVIEW_COUNT_WEIGHTS = (14, 12, 12, 12, 12, 11, 10, 9, 8)  # 0..MAX_REVIEWS reviews, about 3.6 on average
STATUS_ROLL = ((0.86, ReviewStatus.APPROVED), (0.93, ReviewStatus.PENDING), (0.98, ReviewStatus.REJECTED),
               (1.01, ReviewStatus.WITHDRAWN))
BOARD_BY_NAME = {v: k for k, v in BOARDS.items()}
ROUTE_BITS = {r: 1 << i for i, r in enumerate(Route)}
CONDITION_BITS = {c: 1 << i for i, c in enumerate(Condition)}
OTHER_CONDITIONS = list(Condition)[1:]
CHUNK_CLINICS = 2_000
USER_CHUNK = 50_000
MAX_STAFF, MAX_REVIEWS = 4, 8  # per clinic: the id ranges reserved for each chunk
TEMPLATE_VARIANTS = 32
# Each demo text of hours parsed once, not once per clinic.
HOURS_COLUMNS = {text: hours_columns(text) for text in cc.HOURS}
BATCH_TABLES = (Clinic.__table__, StaffMember.__table__, Credential.__table__, ChecklistAnswer.__table__,
                Review.__table__)
ADJECTIVES = ("quiet", "brave", "gentle", "steady", "hopeful", "sunny", "patient", "curious", "calm", "bright")
ANIMALS = ("heron", "otter", "finch", "badger", "lynx", "sparrow", "marten", "plover", "wren", "egret")


@dataclass
class Batch:
    """Rows for every table, ready for Core inserts."""

    clinics: list[dict] = field(default_factory=list)
    staff: list[dict] = field(default_factory=list)
    credentials: list[dict] = field(default_factory=list)
    answers: list[dict] = field(default_factory=list)
    reviews: list[dict] = field(default_factory=list)

    def tables(self) -> tuple[list[dict], ...]:
        """Return the row lists in insert order (parents first), matching BATCH_TABLES."""
        return self.clinics, self.staff, self.credentials, self.answers, self.reviews


class SyntheticBuilder:
    """Build synthetic rows chunk by chunk with ids assigned up front (reusable without a database).

    Chunk k depends only on the seed and k: it draws from its own random stream and numbers its clinics,
    staff and reviews inside ranges reserved for it (staff and review ids may leave gaps). So chunks can be
    built in any order, in any process, and still give the same rows.
    """

    def __init__(self, seed: int, *, today: date, first_clinic_id: int, first_staff_id: int,
                 first_review_id: int, reviewer_ids: range, moderator_id: int | None,
                 chunk_size: int = CHUNK_CLINICS, sampler: PopulationSampler | None = None):
        self.seed, self.today, self.chunk_size = seed, today, chunk_size
        self.first_clinic_id, self.first_staff_id, self.first_review_id = first_clinic_id, first_staff_id, \
            first_review_id
        self.reviewer_ids, self.moderator_id = reviewer_ids, moderator_id
        self.sampler = sampler or population_sampler()
        self._templates: dict[tuple, list[dict]] = {}
        self.rng = QuickRandom(seed)
        self.clinic_id, self.staff_id, self.review_id = first_clinic_id, first_staff_id, first_review_id
        self.latest = datetime.combine(today, time(23, 59), tzinfo=UTC)  # nothing happens after today

    def chunk(self, index: int, count: int) -> Batch:
        """Return the rows of chunk `index` (count clinics, at most chunk_size)."""
        if count > self.chunk_size:
            raise ValueError("a chunk holds at most chunk_size clinics")
        self.rng = QuickRandom(f"{self.seed}:chunk:{index}")
        start = index * self.chunk_size
        self.clinic_id = self.first_clinic_id + start
        self.staff_id = self.first_staff_id + start * MAX_STAFF
        self.review_id = self.first_review_id + start * MAX_REVIEWS
        batch = Batch()
        for place in self.sampler.draw(self.rng, count):
            self._clinic(batch, place)
        return batch

    def last_ids(self, n: int) -> tuple[int, int, int]:
        """Return the highest clinic, staff and review ids that n clinics may use."""
        return (self.first_clinic_id + n - 1, self.first_staff_id + n * MAX_STAFF - 1,
                self.first_review_id + n * MAX_REVIEWS - 1)

    def _clinic(self, batch: Batch, place_index: int) -> None:
        rng, today, clinic_id = self.rng, self.today, self.clinic_id
        self.clinic_id += 1
        place, zip_ = self.sampler.places[place_index], self.sampler.zip_of(place_index)
        lat, lon = self.sampler.jitter(rng, place_index)
        tier = rng.weighted(TIERS, TIER_WEIGHTS)
        lead = rng.weighted(LEADS, LEAD_WEIGHTS)
        verify_rate, lapse_rate = CRED_RATES[tier]
        team = build_team(rng, lead=lead, size=rng.randint(1, MAX_STAFF), state=place.state, today=today,
                          verify_rate=verify_rate, lapse_rate=lapse_rate)
        has_therapist = any(m["role"] == "therapist" for m in team)
        routes = [Route.IV] + [r for r, p in ((Route.IM, 0.12), (Route.ESKETAMINE, 0.25)) if rng.random() < p]
        if has_therapist and rng.random() < 0.2:
            routes.append(Route.ORAL)
        conditions = [Condition.DEPRESSION] + [c for c in OTHER_CONDITIONS if rng.random() < 0.4]
        name = cc.clinic_name(rng, place.name)
        slug = f"{cc.slugify(name)[:100]}-{clinic_id}"
        per, series, series_n = cc.prices(rng, routes)
        if tier == "weak" and rng.random() < 0.35:
            per, series, series_n = None, None, None
        hype = tier == "weak" and rng.random() < 0.2
        created = moment(today - timedelta(days=rng.randint(430, 1500)), rng)  # before any verification
        clinic = dict(
            id=clinic_id, slug=slug, name=name,
            description=cc.describe(rng, name=name, city=place.name, lead=lead, routes=routes,
                                    conditions=rng.sample(conditions, min(3, len(conditions))), hype=hype),
            street=cc.street_address(rng), city=place.name, state=place.state, zip_code=zip_.code,
            latitude=lat, longitude=lon, **search_point(lat, lon),  # search columns: no trigger work per row
            phone=cc.fictional_phone(zip_.area_code, clinic_id),
            website=cc.website_for(slug), **HOURS_COLUMNS[rng.choice(cc.HOURS)],
            routes_mask=sum(ROUTE_BITS[r] for r in routes), conditions_mask=sum(CONDITION_BITS[c] for c in conditions),
            price_per_infusion_usd=per, price_series_usd=series, series_infusions=series_n,
            insurance=rng.choice((InsuranceOption.NONE, InsuranceOption.SUPERBILL, InsuranceOption.SUPERBILL,
                                  InsuranceOption.IN_NETWORK)),
            languages=cc.languages_for(rng, place.state), **_access(rng.choice(cc.ACCESSIBILITY)),
            offers_psychotherapy=has_therapist or Route.ORAL in routes,
            accepting_new_patients=rng.random() < 0.85, telehealth_intake=rng.random() < 0.45,
            status=ClinicStatus.PUBLISHED if rng.random() < 0.97 else ClinicStatus.DRAFT,
            last_verified_on=today - timedelta(days=rng.randint(3, 400)),
            score_total=None, rating_avg=None, rating_bayes=None, rating_count=0, has_verified_credentials=False,
            created_at=created, updated_at=created,
        )
        # The filter bits, as the trigger would compute them: no trigger work per row.
        clinic["search_facets"] = facets_of(**{column: clinic.get(column) for column in FACET_INPUTS})
        clinic.update(tallies_of(clinic["search_facets"]))
        batch.clinics.append(clinic)
        director = team[0]["credentials"]
        board = next((BOARD_BY_NAME[c["issuer"]] for c in director if c["kind"] == "board_certification"), None)
        dated = [c["expires_on"] for c in director if c["kind"] in ("state_license", "dea")]
        acls = [c["expires_on"] for m in team for c in m["credentials"] if c["kind"] == "acls"]
        self._team(batch, team, clinic_id, created)
        for answer in answers_for(rng, tier, today=today, state=place.state, board=board,
                                  has_therapist=has_therapist, prices_published=per is not None, hype=hype,
                                  website=cc.website_for(slug), profiles=PROFILES,
                                  expiries={"C01": min(dated) if dated else None, "C03": max(acls) if acls else None}):
            answer.update(clinic_id=clinic_id, created_at=created, updated_at=answer["verified_at"] or created,
                          verified_by_id=self.moderator_id if answer["verified_at"] else None)
            batch.answers.append(answer)
        self._reviews(batch, clinic_id, tier, routes, conditions, has_therapist, per, created)

    def _team(self, batch: Batch, team: list[dict], clinic_id: int, created) -> None:
        for member in team:
            staff_id = self.staff_id
            self.staff_id += 1
            for cred in member.pop("credentials"):
                cred.update(staff_member_id=staff_id, created_at=created,
                            verified_by_id=self.moderator_id if cred["verified_at"] else None)
                batch.credentials.append(cred)
            member.update(id=staff_id, clinic_id=clinic_id, created_at=created)
            batch.staff.append(member)

    def _review_template(self, tier: str, route: Route, condition: Condition, has_therapist: bool) -> dict:
        """Return one of a few composed reviews (answers and words agreeing) for this kind of visit.

        Composing text is the slowest part of building a review, so each combination of tier, route,
        condition and therapist gets TEMPLATE_VARIANTS compositions, drawn from their own random stream.
        """
        key = (tier, route, condition, has_therapist)
        pool = self._templates.get(key)
        if pool is None:  # its own stream, so every process composes the same variants for a key
            rng = QuickRandom(f"{self.seed}:template:{tier}:{route.value}:{condition.value}:{has_therapist}")
            pool = self._templates[key] = []
            for _ in range(TEMPLATE_VARIANTS):
                fields = review_fields(rng, rating=draw_rating(rng, tier), tier=tier, routes=[route],
                                       conditions=[condition], has_therapist=has_therapist)
                fields["title"], fields["body"] = compose_review(rng, fields, topic_range=(1, 3))
                fields["side_effects_mask"] = side_effects_mask(fields.pop("side_effects"))
                pool.append(fields)
        return pool[int(self.rng.random() * TEMPLATE_VARIANTS)]

    def _reviews(self, batch: Batch, clinic_id: int, tier: str, routes, conditions, has_therapist: bool,
                 price: int | None, clinic_created) -> None:
        rng = self.rng
        count = rng.weighted(range(9), REVIEW_COUNT_WEIGHTS)
        route_weights = [ROUTE_WEIGHT[r] for r in routes]
        condition_weights = [CONDITION_WEIGHT[c] for c in conditions]
        for author_index in rng.sample(range(len(self.reviewer_ids)), min(count, len(self.reviewer_ids))):
            route, condition = rng.weighted(routes, route_weights), rng.weighted(conditions, condition_weights)
            fields = dict(self._review_template(tier, route, condition, has_therapist))
            created = moment(self.today - timedelta(days=int(1095 * rng.random() ** 1.3)), rng)
            created = max(created, clinic_created)
            roll = rng.random()
            status = next(s for limit, s in STATUS_ROLL if roll < limit)
            decided = min(created + timedelta(days=rng.randint(1, 4)), self.latest)
            fields.update(
                id=self.review_id, clinic_id=clinic_id, author_id=self.reviewer_ids[author_index], status=status,
                rejection_reason=rng.choice(("spam_duplicate", "unrelated", "harassment", "conflict_of_interest"))
                if status == ReviewStatus.REJECTED else None,
                verified_patient=rng.random() < 0.15, version=1, created_at=created, queued_at=created,
                updated_at=created if status == ReviewStatus.PENDING else decided,
                published_at=decided if status == ReviewStatus.APPROVED else None,
            )
            self.review_id += 1
            batch.reviews.append(fields)


def reviewer_rows(rng: QuickRandom, ids: range, created) -> list[dict]:
    """Return synthetic patient accounts with unusable password hashes (they cannot log in)."""
    return [
        dict(id=user_id, email=f"reviewer{user_id}@synthetic.example", role=UserRole.PATIENT,
             display_name=f"{rng.choice(ADJECTIVES)}_{rng.choice(ANIMALS)}_s{user_id}",
             password_hash=f"!{rng.getrandbits(128):032x}", active=True,
             session_token=f"!{rng.getrandbits(128):032x}", created_at=created, last_login_at=None)
        for user_id in ids
    ]


def add_synthetic_clinics(session: Session, n: int, seed: int, progress: Callable[[int], None] | None = None, *,
                          today: date | None = None, commit: bool = False, chunk: int = CHUNK_CLINICS,
                          workers: int | None = None) -> int:
    """Add n synthetic clinics with staff, credentials, answers and reviews; return how many were added.

    :param progress: called with the number of clinics written after each chunk.
    :param commit: commit after every chunk (keeps the SQLite WAL small for very large runs).
    :param workers: forked processes building rows while this one inserts; 0 builds here. By default two
        for runs of several chunks where the platform can fork. The rows are the same either way.
    """
    with collector_paused():
        from provider_dir.seeding import copy_pg  # imports this module

        if copy_pg.applies(session):
            return copy_pg.add_synthetic_clinics(session, n, seed, progress, today=today or date.today(),
                                                 commit=commit, chunk=chunk, workers=workers)
        return _add_synthetic_clinics(session, n, seed, progress, today=today or date.today(), commit=commit,
                                      chunk=chunk, workers=workers)


def _add_synthetic_clinics(session: Session, n: int, seed: int, progress: Callable[[int], None] | None, *,
                           today: date, commit: bool, chunk: int, workers: int | None) -> int:
    rng = QuickRandom(seed)
    created = moment(today - timedelta(days=1200), rng)
    first_user = next_id(session, User.__table__)
    reviewer_ids = range(first_user + 1, first_user + 1 + max(20, n // 2))
    builder = SyntheticBuilder(
        seed, today=today, first_clinic_id=next_id(session, Clinic.__table__),
        first_staff_id=next_id(session, StaffMember.__table__), first_review_id=next_id(session, Review.__table__),
        reviewer_ids=reviewer_ids, moderator_id=first_user, chunk_size=chunk,
    )
    for start in range(first_user, reviewer_ids.stop, USER_CHUNK):  # in slices: a million clinics need 500k
        users = reviewer_rows(rng, range(start, min(start + USER_CHUNK, reviewer_ids.stop)), created)
        if start == first_user:
            users[0].update(role=UserRole.MODERATOR, email=f"moderator{first_user}@synthetic.example",
                            display_name=f"synthetic_moderator_{first_user}")
        with bulk_load_settings(session, skip_check_constraints=True):
            insert_rows(session, User.__table__, users)
    if workers is None:
        workers = 2 if n >= 4 * chunk and can_fork() else 0
    dialect = session.connection().dialect
    for count, prepared_tables in prepared_chunks(builder.chunk, BATCH_TABLES, dialect, n, chunk, workers):
        with bulk_load_settings(session, skip_check_constraints=True):
            for prepared in prepared_tables:
                write_prepared(session, prepared)
        if commit:
            session.commit()
        if progress:
            progress(count)
    sync_id_sequences(session, (User.__table__, Clinic.__table__, StaffMember.__table__, Review.__table__))
    refresh_denormalised(session, first_clinic_id=builder.first_clinic_id, today=today)
    if commit:
        session.commit()
    return n


def _access(text: str) -> dict:
    return {"accessibility": text, "wheelchair_accessible": cc.WHEELCHAIR[text]}
