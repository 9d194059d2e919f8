"""The admin pages of imports: upload, dry-run report, confirm, undo."""
