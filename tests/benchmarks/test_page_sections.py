"""benchmarks/page_sections.py's parts still name one piece of today's templates each: a part that no longer matched
would measure nothing, and a template changed under it would go unnoticed."""

import importlib
import os
import sys

import pytest

from provider_dir.config import PROJECT_ROOT

BENCHMARKS = str(PROJECT_ROOT / "benchmarks")


@pytest.fixture(scope="module")
def imported():
    """Import the benchmark as a test would, noting the process's environment just before and just after."""
    before = dict(os.environ)
    sys.modules.pop("page_sections", None)
    sys.path.insert(0, BENCHMARKS)
    try:
        module = importlib.import_module("page_sections")
    finally:
        sys.path.remove(BENCHMARKS)
    return module, before, dict(os.environ)


@pytest.fixture
def page_sections(imported):
    return imported[0]


def parts(page_sections):
    return [(kind, *part) for kind, listed in page_sections.SECTIONS.items() for part in listed]


def test_each_part_takes_out_one_piece_and_what_is_left_still_compiles(page_sections, app):
    for kind, name, template, pattern in parts(page_sections):
        source = (PROJECT_ROOT / "templates" / template).read_text(encoding="utf-8")
        left = page_sections.without(template, pattern)[template]  # SystemExit unless the pattern matches once
        assert len(left) < len(source), (kind, name)
        app.jinja_env.parse(left)  # a TemplateSyntaxError here: the part cut a tag in two


def test_importing_it_leaves_the_process_as_it_was(imported):
    # It once set PROMETHEUS_MULTIPROC_DIR at import, and the metrics tests that ran after it read an empty folder.
    _module, before, after = imported
    assert after == before


def test_a_part_that_no_longer_matches_is_refused(page_sections):
    with pytest.raises(SystemExit, match="matched 0 times"):
        page_sections.without("listings/clinic.html", r'\{% include "no/such.html" %\}')
