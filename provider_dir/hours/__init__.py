"""Opening hours as data: periods per weekday, notes, and whether a clinic is open now in its own time zone."""
