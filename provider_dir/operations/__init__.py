"""Operations: consistent backups of the database and integrity checks."""
