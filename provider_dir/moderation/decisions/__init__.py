"""A moderator's decision on one item, with its reason."""
