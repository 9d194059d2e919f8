"""Bulk import of clinics from CSV or HSDS 3.0, with provenance, duplicate detection and outside ratings."""
