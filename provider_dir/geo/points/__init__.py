"""Radius search's columns held in each process's memory as arrays, per content version (see held.py)."""
