"""The monthly transparency report: its figures, tables and charts."""
