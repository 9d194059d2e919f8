"""Name search: clinics and clinicians found by name (typos, missing words, accents), and suggestions as you type."""


def blueprints():
    """Return the suggestion API's blueprint."""
    from provider_dir.geo.names.api import bp

    return (bp,)
