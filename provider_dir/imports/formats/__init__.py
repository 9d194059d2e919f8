"""Reading import files: CSV, HSDS 3.0 JSON and data packages, and checking each row."""
