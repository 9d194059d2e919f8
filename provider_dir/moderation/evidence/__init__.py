"""Moderators' queue of checklist evidence to check."""
