"""flask geocode "QUERY": what the site's geocoder makes of a place."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from geopy.exc import GeopyError

from provider_dir.extensions import db
from provider_dir.geo.places.geocoding import shared_offline_geocoder
from provider_dir.geo.views import current_locator


@click.command("geocode")
@click.argument("query")
@click.option("--all", "show_all", is_flag=True, help="List every place of that name in the offline gazetteer.")
@click.option("--reverse", is_flag=True, help="Read QUERY as 'lat,lon' and list the nearest ZIP codes.")
@with_appcontext
def geocode_command(query: str, show_all: bool, reverse: bool) -> None:
    """Print the place, latitude and longitude the configured geocoder gives for QUERY."""
    offline = shared_offline_geocoder()
    if reverse:
        try:
            found = offline.reverse(query, exactly_one=False)
        except (ValueError, GeopyError) as exc:
            raise click.BadParameter(f"give a latitude and longitude such as '40.75,-73.99' ({exc})") from exc
        if not found:
            raise click.ClickException(f"No ZIP code lies near {query}.")
        for location in found:
            click.echo(f"{location.address}\t{location.latitude:.5f}\t{location.longitude:.5f}"
                       f"\t{location.raw['distance_km']:.1f} km")  # fmt: skip
        return
    if show_all:
        candidates = offline.geocode(query, exactly_one=False) or []
        if not candidates:
            raise click.ClickException(f"The offline gazetteer does not know {query!r}.")
        for location in candidates:
            click.echo(f"{location.address}\t{location.latitude:.5f}\t{location.longitude:.5f}")
        return
    origin = current_locator().locate(db.session, query)
    if origin is None:
        raise click.ClickException(f"No geocoder knows {query!r}. Try a ZIP code or 'City, ST'.")
    click.echo(f"{origin.label}\t{origin.latitude:.5f}\t{origin.longitude:.5f}\t({origin.source})")
