"""Appeals: one per decision, within 30 days, decided by a second moderator with no tie to the clinic.

A reversal runs the decided item's own queue (see appeals/kinds.py); the appeal's decision, its log row, both
sides' notifications and the statement-of-reasons emails go into the caller's one transaction (the emails wait in
the mail outbox, which the worker delivers once it has committed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, and_, false, func, or_, select, tuple_

from provider_dir.accounts.models import ClinicMembership, User
from provider_dir.accounts.vocab import MembershipRole
from provider_dir.appeals import statement as statements
from provider_dir.appeals.kinds import APPEAL
from provider_dir.appeals.models import Appeal
from provider_dir.appeals.vocab import APPEAL_DAYS, APPEAL_MAX_CHARS, REVERSE_REASONS, AppealReason, AppealStatus
from provider_dir.extensions import db
from provider_dir.listings.models import Clinic
from provider_dir.mail.links import absolute_url, site_path
from provider_dir.mail.services import MailError, queue_mail
from provider_dir.models.base import utcnow
from provider_dir.moderation import log
from provider_dir.moderation.credentials.queue import DecisionRefused
from provider_dir.moderation.decisions.services import CONFLICT_MESSAGE
from provider_dir.moderation.models import ModerationLog
from provider_dir.moderation.notifications import notify
from provider_dir.moderation.services import STALE_MESSAGE, ConflictOfInterest, StaleDecision, member_clinic_ids
from provider_dir.notices.services import SIGNATURE
from provider_dir.transparency.kinds import KINDS, Appealable, DecisionKind, appealable_actions, classify, outcome_label
from provider_dir.transparency.reasons import reason_label

OWN_DECISION_MESSAGE = "You made the decision under appeal, so another moderator must decide the appeal."
OWN_APPEAL_MESSAGE = "You made this appeal, so another moderator must decide it."


class AppealRefused(Exception):
    """The appeal cannot be made or decided as asked; the message says why and nothing was changed."""


@dataclass(frozen=True, slots=True)
class Appealed:
    """A logged decision with what the registry knows about it."""

    entry: ModerationLog
    kind: DecisionKind
    outcome: str
    how: Appealable
    item: object


def load_decision(log_id: int) -> Appealed | None:
    """Return an appealable decision by its log id, or None when that row is not an appealable decision."""
    entry = db.session.get(ModerationLog, log_id)
    if entry is None:
        return None
    found = classify(entry.target_type, entry.action)
    if found is None or entry.action not in found[0].appeals:
        return None
    kind, outcome = found
    item = kind.load(entry.target_id)
    if item is None:
        return None
    return Appealed(entry, kind, outcome, kind.appeals[entry.action], item)


def deadline(entry: ModerationLog) -> datetime:
    """Return the last moment an appeal against this decision may be made."""
    return entry.created_at + timedelta(days=APPEAL_DAYS)


def refusal(decision: Appealed, user: User, now: datetime | None = None) -> str | None:
    """Return why this account may not appeal this decision now, or None when it may."""
    if user.id not in decision.how.appellants(decision.entry, decision.item):
        return "Only the person the decision is about can appeal it."
    if db.session.scalar(select(Appeal.id).where(Appeal.log_id == decision.entry.id)):
        return "This decision has been appealed already; a decision can be appealed once."
    if (now or utcnow()) > deadline(decision.entry):
        return f"The {APPEAL_DAYS} days for appealing this decision have passed."
    if not decision.how.stands(decision.item):
        return ("The item has changed since this decision (edited, withdrawn or decided again), so it cannot be "
                "appealed.")
    return None


def file_appeal(decision: Appealed, user: User, text: str, now: datetime | None = None) -> Appeal:
    """Record an appeal and its log row; raise AppealRefused when it may not be made."""
    text = text.strip()
    if not text:
        raise AppealRefused("Say why the decision should be looked at again.")
    if len(text) > APPEAL_MAX_CHARS:
        raise AppealRefused(f"Keep the appeal to {APPEAL_MAX_CHARS:,} characters (it has {len(text):,}).")
    why_not = refusal(decision, user, now)
    if why_not:
        raise AppealRefused(why_not)
    clinic_id = decision.entry.clinic_id or decision.kind.clinic_id(decision.item)
    appeal = Appeal(log_id=decision.entry.id, kind=decision.kind.name, clinic_id=clinic_id, appellant_id=user.id,
                    first_moderator_id=decision.entry.actor_id, text=text)  # fmt: skip
    db.session.add(appeal)
    db.session.flush()
    log.record(user, "appeal_made", appeal.id, target_type=APPEAL, clinic_id=clinic_id)
    notify(user.id, f"Your appeal about a {decision.kind.label.lower()} decision is received; a second moderator "
                    "will decide it and tell you why.", site_path("appeals.mine"))  # fmt: skip
    return appeal


def _window_start(now: datetime | None) -> datetime:
    return (now or utcnow()) - timedelta(days=APPEAL_DAYS)


def _owned_clinics(user: User):
    return select(ClinicMembership.clinic_id).where(ClinicMembership.user_id == user.id,
                                                    ClinicMembership.role == MembershipRole.OWNER)


def open_to(user: User, now: datetime | None = None) -> list[Appealed]:
    """Return the decisions this account may appeal now, newest first."""
    personal = [
        and_(ModerationLog.target_type == kind.target_type, ModerationLog.action == action,
             ModerationLog.target_id.in_(how.targets_of(user.id)))
        for kind in KINDS.values() for action, how in kind.appeals.items() if how.targets_of is not None
    ]  # fmt: skip
    mine = or_(*personal, ModerationLog.clinic_id.in_(_owned_clinics(user)))
    actions = appealable_actions()
    rows = db.session.scalars(
        select(ModerationLog)
        .where(tuple_(ModerationLog.target_type, ModerationLog.action).in_(actions) if actions else false(),
               ModerationLog.created_at >= _window_start(now), mine,
               ~select(Appeal.id).where(Appeal.log_id == ModerationLog.id).exists())
        .order_by(ModerationLog.created_at.desc(), ModerationLog.id.desc()).limit(200)
    )  # fmt: skip
    found = [load_decision(entry.id) for entry in rows]
    return [d for d in found if d is not None and refusal(d, user, now) is None]


def appeals_of(user: User) -> list[Appeal]:
    """Return the appeals this account made, newest first."""
    return list(db.session.scalars(
        select(Appeal).where(Appeal.appellant_id == user.id).order_by(Appeal.created_at.desc(), Appeal.id.desc())
    ))  # fmt: skip


def _waiting_for(moderator: User):
    query = select(Appeal).where(Appeal.status == AppealStatus.OPEN,
                                 or_(Appeal.first_moderator_id.is_(None), Appeal.first_moderator_id != moderator.id),
                                 or_(Appeal.appellant_id.is_(None), Appeal.appellant_id != moderator.id))  # fmt: skip
    own = member_clinic_ids(moderator)
    if own:
        query = query.where(or_(Appeal.clinic_id.is_(None), Appeal.clinic_id.not_in(own)))
    return query


def queue(moderator: User) -> Select:
    """Return the open appeals this moderator may decide (not their own decisions, not their clinics'), oldest first."""
    return _waiting_for(moderator).order_by(Appeal.created_at, Appeal.id)


def pending_count(moderator: User) -> int:
    """Return how many open appeals this moderator may decide."""
    return int(db.session.scalar(select(func.count()).select_from(_waiting_for(moderator).subquery())) or 0)


def ensure_may_decide(appeal: Appeal, moderator: User, seen_version: int) -> None:
    """Raise ConflictOfInterest for the first moderator, the appellant or a member of the clinic; StaleDecision if
    the appeal changed or was decided since the moderator saw it."""
    if appeal.first_moderator_id == moderator.id:
        raise ConflictOfInterest(OWN_DECISION_MESSAGE)
    if appeal.appellant_id == moderator.id:
        raise ConflictOfInterest(OWN_APPEAL_MESSAGE)
    if appeal.clinic_id is not None and moderator.belongs_to(appeal.clinic_id):
        raise ConflictOfInterest(CONFLICT_MESSAGE)
    if appeal.version != seen_version or appeal.status != AppealStatus.OPEN:
        raise StaleDecision(STALE_MESSAGE)


def decide(appeal: Appeal, moderator: User, seen_version: int, reason: AppealReason, note: str = "") -> Appeal:
    """Uphold or reverse an appeal; a reversal carries the opposite decision through the item's own queue."""
    ensure_may_decide(appeal, moderator, seen_version)
    decision = load_decision(appeal.log_id)
    if decision is None:
        raise AppealRefused("The decision under appeal no longer exists; nothing can be reversed.")
    reverse = reason in REVERSE_REASONS
    note = note.strip()
    if reverse:
        if not decision.how.stands(decision.item):
            raise AppealRefused("The item changed after the appeal was made, so it cannot be reversed; uphold the "
                                "appeal and say so in the note.")
        try:
            decision.how.reverse(decision.entry, decision.item, moderator, note)
        except (ValueError, DecisionRefused) as exc:  # the queue's own "cannot decide this way"
            raise AppealRefused(str(exc)) from exc
    appeal.status = AppealStatus.REVERSED if reverse else AppealStatus.UPHELD
    appeal.decision_reason, appeal.decision_note = reason.value, note
    appeal.decided_by_id, appeal.decided_at = moderator.id, utcnow()
    log.record(moderator, "appeal_reversed" if reverse else "appeal_upheld", appeal.id, reason=reason, note=note,
               target_type=APPEAL, clinic_id=appeal.clinic_id)  # fmt: skip
    _tell_both_sides(appeal, decision, reason, reverse, note)
    return appeal


def _tell_both_sides(appeal: Appeal, decision: Appealed, reason: AppealReason, reverse: bool, note: str) -> None:
    clinic = db.session.get(Clinic, appeal.clinic_id) if appeal.clinic_id else None
    facts = statements.Statement(
        kind_label=decision.kind.label, clinic_name=clinic.name if clinic else "a clinic",
        first_outcome=outcome_label(decision.outcome),
        first_reason=reason_label(decision.entry.reason, decision.kind.name),
        reversed=reverse, appeal_reason=reason.label, reversal_text=decision.how.reversal_text, note=note,
    )  # fmt: skip
    others = decision.how.other_side(decision.entry, decision.item)
    if appeal.first_moderator_id:
        others = [*others, appeal.first_moderator_id]
    told: set[int] = set()
    for user_id, endpoint, values in [(appeal.appellant_id, "appeals.mine", {})] + [
        (user_id, "moderation_appeals.item", {"appeal_id": appeal.id}) if user_id == appeal.first_moderator_id
        else (user_id, "appeals.mine", {}) for user_id in others
    ]:  # fmt: skip
        account = db.session.get(User, user_id) if user_id else None
        if account is None or account.id in told:
            continue
        told.add(account.id)
        body = statements.text(facts)
        notify(account.id, statements.summary(facts), site_path(endpoint, **values))
        if account.active:
            try:
                url = absolute_url(endpoint, **values)
            except MailError:
                continue  # no SITE_URL in production: the in-app notice still goes, the decision stands
            queue_mail(account.email, statements.subject(facts), f"Hello,\n\n{body}\n\n{url}\n\n-- {SIGNATURE}\n")

