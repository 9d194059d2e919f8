"""Corrections anyone can suggest to a listing, and the moderation queue that accepts or declines them."""
