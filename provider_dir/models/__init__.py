"""Shared model infrastructure; provider_dir.models.all imports every model."""
