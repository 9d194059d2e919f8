"""Published data standards whose schemas the site reads and writes (HSDS 3.0)."""
