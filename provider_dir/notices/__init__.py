"""Notices to clinic owners: an email to each owner and an in-app notification, for events other features report."""
