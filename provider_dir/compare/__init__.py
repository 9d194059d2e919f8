"""Compare up to three clinics side by side: a page at /compare and its JSON twin at /api/v1/compare."""


def blueprints():
    """Return the comparison page's and the comparison API's blueprints."""
    from provider_dir.compare.views import api_bp, bp

    return bp, api_bp
