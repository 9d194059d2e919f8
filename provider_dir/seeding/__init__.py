"""Demo data (from the committed files in seeds/) and synthetic clinics for scale work."""
