"""Helpers for the emailed-link tests."""

from __future__ import annotations

import time
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest
from itsdangerous.timed import TimestampSigner


def path_of(url: str) -> str:
    """Return the path of a link in a mail, for the test client."""
    return urlsplit(url).path


@contextmanager
def made_hours_ago(monkeypatch: pytest.MonkeyPatch, hours: float):
    """Sign tokens as if it were `hours` ago."""
    with monkeypatch.context() as patch:
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time() - hours * 3600))
        yield


@pytest.fixture
def link_in(mailbox):
    """Return the one link of the newest mail to an address whose path contains a marker."""

    def find(address: str, marker: str) -> str:
        links = [link for link in mailbox.links(mailbox.last_to(address)) if marker in link]
        assert len(links) == 1, links
        return path_of(links[0])

    return find
