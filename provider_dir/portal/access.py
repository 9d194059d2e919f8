"""Who may use the clinic portal: clinic-owner accounts, and for one clinic only its owners."""

from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from provider_dir.accounts.vocab import UserRole
from provider_dir.extensions import db, login_manager
from provider_dir.listings.models import Clinic
from provider_dir.listings.services import SLUG_PATTERN
from provider_dir.portal import replies


def owners_only():
    """Let only clinic-owner accounts in (a blueprint's before_request)."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.role != UserRole.CLINIC_OWNER:
        abort(403, description="The clinic portal is for clinic owner accounts.")
    return None


def owned_clinic(slug: str) -> Clinic:
    """Return the clinic at this address if the current account owns it; 404 or 403 otherwise."""
    clinic = db.session.scalar(select(Clinic).where(Clinic.slug == slug)) if SLUG_PATTERN.fullmatch(slug) else None
    if clinic is None:
        abort(404, description="There is no clinic with that address.")
    if not replies.is_owner(current_user, clinic.id):
        abort(403, description="You can only manage clinics you own.")
    return clinic
