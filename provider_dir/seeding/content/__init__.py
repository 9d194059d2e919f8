"""Believable, fictional words for the synthetic data: clinics, staff and reviews."""
