"""The one refusal of a whole file."""


class Unreadable(Exception):
    """The file cannot be read as clinics at all (wrong kind, wrong encoding, no usable header)."""
