"""Claiming a listing: the claim, its proof, and the pages for it."""
