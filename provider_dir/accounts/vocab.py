"""Roles of accounts and of clinic memberships."""

from provider_dir.models.base import LabelledEnum


class UserRole(LabelledEnum):
    """What an account may do on the site."""

    PATIENT = ("patient", "Patient")
    CLINIC_OWNER = ("clinic_owner", "Clinic owner")
    MODERATOR = ("moderator", "Moderator")
    ADMIN = ("admin", "Admin")


class MembershipRole(LabelledEnum):
    """How an account belongs to a clinic."""

    OWNER = ("owner", "Owner")
    STAFF = ("staff", "Staff")
