"""Import every model so that the metadata is complete (for Alembic and create_all)."""

from provider_dir.accounts.models import ClinicMembership, User
from provider_dir.appeals.models import Appeal
from provider_dir.corrections.models import ClinicCorrection
from provider_dir.credentials.models import Credential, StaffMember
from provider_dir.documents.models import Document
from provider_dir.geo.models import GeocodeCacheEntry
from provider_dir.imports.models import ImportRun, ListingSource, OutsideRating
from provider_dir.listings.models import Clinic
from provider_dir.mail.models import OutgoingMail
from provider_dir.models.base import Base
from provider_dir.moderation.models import ModerationLog, Notification, ReviewReport
from provider_dir.pagecache.models import ContentVersion
from provider_dir.portal.models import ClinicClaim, ClinicReply, InvitationCode, ListingChange, OwnerTermsAcceptance
from provider_dir.registry.models import ExclusionMatch, LeieRecord, NppesRecord, RegistryCheck, RegistryLoad
from provider_dir.reviews.models import Review, SiteRatingPrior
from provider_dir.scoring.models import ChecklistAnswer, ScoreSnapshot
from provider_dir.transparency.models import DecisionTally, PublicDecision
from provider_dir.twofactor.models import RecoveryCode, SecondFactor
from provider_dir.worker.models import JobRun

__all__ = [
    "Appeal",
    "Base",
    "ChecklistAnswer",
    "Clinic",
    "ContentVersion",
    "ClinicClaim",
    "ClinicCorrection",
    "ClinicMembership",
    "ClinicReply",
    "Credential",
    "DecisionTally",
    "Document",
    "ExclusionMatch",
    "ImportRun",
    "InvitationCode",
    "JobRun",
    "LeieRecord",
    "ListingChange",
    "ListingSource",
    "GeocodeCacheEntry",
    "ModerationLog",
    "Notification",
    "NppesRecord",
    "OutgoingMail",
    "OutsideRating",
    "RecoveryCode",
    "OwnerTermsAcceptance",
    "RegistryCheck",
    "RegistryLoad",
    "PublicDecision",
    "Review",
    "ReviewReport",
    "ScoreSnapshot",
    "SecondFactor",
    "SiteRatingPrior",
    "StaffMember",
    "User",
]
