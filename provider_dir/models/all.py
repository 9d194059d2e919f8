"""Import every model so that the metadata is complete (for Alembic and create_all)."""

from provider_dir.accounts.models import ClinicMembership, User
from provider_dir.credentials.models import Credential, StaffMember
from provider_dir.documents.models import Document
from provider_dir.geo.models import GeocodeCacheEntry
from provider_dir.listings.models import Clinic
from provider_dir.models.base import Base
from provider_dir.moderation.models import ModerationLog, Notification, ReviewReport
from provider_dir.pagecache.models import ContentVersion
from provider_dir.portal.models import ClinicClaim, ClinicReply, InvitationCode, ListingChange, OwnerTermsAcceptance
from provider_dir.reviews.models import Review, SiteRatingPrior
from provider_dir.scoring.models import ChecklistAnswer, ScoreSnapshot
from provider_dir.twofactor.models import RecoveryCode, SecondFactor

__all__ = [
    "Base",
    "ChecklistAnswer",
    "Clinic",
    "ContentVersion",
    "ClinicClaim",
    "ClinicMembership",
    "ClinicReply",
    "Credential",
    "Document",
    "InvitationCode",
    "ListingChange",
    "GeocodeCacheEntry",
    "ModerationLog",
    "Notification",
    "RecoveryCode",
    "OwnerTermsAcceptance",
    "Review",
    "ReviewReport",
    "ScoreSnapshot",
    "SecondFactor",
    "SiteRatingPrior",
    "StaffMember",
    "User",
]
