"""Import every model so that the metadata is complete (for Alembic and create_all)."""

from provider_dir.accounts.models import ClinicMembership, User
from provider_dir.credentials.models import Credential, StaffMember
from provider_dir.listings.models import Clinic
from provider_dir.models.base import Base
from provider_dir.moderation.models import ModerationLog
from provider_dir.reviews.models import Review
from provider_dir.scoring.models import ChecklistAnswer, ScoreSnapshot

__all__ = [
    "Base",
    "ChecklistAnswer",
    "Clinic",
    "ClinicMembership",
    "Credential",
    "ModerationLog",
    "Review",
    "ScoreSnapshot",
    "StaffMember",
    "User",
]
