"""Moderators' queue of staff credentials to verify."""
