"""Publishing the open-data files: made by the worker (or `flask export publish`), listed and served at /open-data."""
