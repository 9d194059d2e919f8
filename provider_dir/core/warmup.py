"""A web worker made ready before its first request: what pages build once is built, then kept out of the collector.

Python's cyclic garbage collector walks every tracked object in its oldest generation now and then; in a worker
that holds the place gazetteer, the compiled templates and the mappers (170,000 to 330,000 objects) each walk cost
100-400 ms, some 0.3-0.9 ms a page spread over the requests, and its youngest generation ran about once a page.
None of those objects is ever garbage. gunicorn's post_worker_init calls `ready_worker`: it builds them, then
moves everything alive into the collector's permanent generation (gc.freeze), and collects young objects less
often (a page makes some 20,000 objects that reference counting frees; cycles are rare).
"""

from __future__ import annotations

import gc

from flask import Flask
from sqlalchemy.orm import configure_mappers

from provider_dir.geo.places.gazetteer import gazetteer
from provider_dir.geo.points.app import build_search_points

# The collector's thresholds after the freeze: the youngest generation every YOUNG_THRESHOLD new containers
# (Python's default is 700), the older ones as by default.
YOUNG_THRESHOLD = 10_000


def build_once_per_process(app: Flask) -> None:
    """Build what the first requests would build: every template, the mappers, the place gazetteer and the search
    points."""
    with app.app_context():
        configure_mappers()
        for name in app.jinja_env.list_templates(extensions=("html", "xml", "txt")):
            app.jinja_env.get_template(name)
        gazetteer()
    build_search_points(app)


def ready_worker(app: Flask) -> int:
    """Build what pages build once, then freeze the heap; return how many objects were frozen."""
    build_once_per_process(app)
    gc.collect()
    gc.freeze()
    _young, *older = gc.get_threshold()
    gc.set_threshold(YOUNG_THRESHOLD, *older)
    return gc.get_freeze_count()
