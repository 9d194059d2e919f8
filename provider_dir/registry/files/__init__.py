"""Registry files: opening a CSV safely, reading the NPPES and LEIE layouts, loading them, taxonomy codes."""
