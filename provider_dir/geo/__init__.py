"""Geolocated search: the offline gazetteer and geocoders, distances, radius search, its page and its API."""


def blueprints():
    """Return the blueprints of the search page and the search API."""
    from provider_dir.geo.api import bp as api_bp
    from provider_dir.geo.names import blueprints as name_blueprints
    from provider_dir.geo.views import bp as views_bp

    return views_bp, api_bp, *name_blueprints()
