"""In a real browser: the site header stays one row at 1280 px for every role, however long the display name, and
never runs past the window on a phone."""

from __future__ import annotations

import uuid

import pytest

from provider_dir.accounts.models import User
from provider_dir.accounts.vocab import UserRole
from provider_dir.extensions import db
from provider_dir.models.base import utcnow
from tests.conftest import test_password_hash as hashed_password
from tests.e2e.test_accessibility import log_in

pytestmark = pytest.mark.e2e

LONGEST_NAME = 40  # RegisterForm's display-name limit


def header_box(page) -> dict:
    return page.evaluate(
        """() => {
            const header = document.querySelector('.site-header .header-inner');
            const links = [...header.querySelectorAll('.brand, .nav-list > li')];
            // Items whose vertical centres lie within 12 px of each other sit on one row.
            const centres = links.map((el) => { const r = el.getBoundingClientRect(); return r.top + r.height / 2; });
            centres.sort((a, b) => a - b);
            const rows = centres.filter((c, i) => i === 0 || c - centres[i - 1] > 12).length;
            return {height: header.getBoundingClientRect().height, rows: rows,
                    overflow: document.documentElement.scrollWidth - window.innerWidth};
        }"""
    )


@pytest.fixture
def account_with_role(live_db):
    def make(role: UserRole) -> str:
        tag = uuid.uuid4().hex[:8]
        name = f"{role.value}_{tag}_".ljust(LONGEST_NAME, "w")
        user = User(email=f"header-{tag}@e2e.test", display_name=name, role=role, password_hash=hashed_password(),
                    email_confirmed_at=utcnow())  # fmt: skip
        db.session.add(user)
        db.session.commit()
        email = user.email
        db.session.remove()
        return email

    return make


@pytest.mark.parametrize("role", list(UserRole))
def test_the_header_is_one_row_at_1280_for_every_role(browser, live_server, account_with_role, role):
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto("/about")
    anonymous = header_box(page)
    log_in(page, account_with_role(role))
    page.goto("/about")
    signed_in = header_box(page)
    context.close()
    assert anonymous["rows"] == 1
    assert signed_in["rows"] == 1, f"{role.value}: the header wraps onto {signed_in['rows']} rows"
    assert signed_in["height"] <= anonymous["height"] + 2
    assert signed_in["overflow"] <= 0


@pytest.mark.parametrize("role", list(UserRole))
def test_the_header_fits_a_phone_for_every_role(browser, live_server, account_with_role, role):
    context = browser.new_context(base_url=live_server, viewport={"width": 375, "height": 800})
    page = context.new_page()
    log_in(page, account_with_role(role))
    page.goto("/about")
    box = header_box(page)
    context.close()
    assert box["overflow"] <= 0, f"{role.value}: the page is {box['overflow']} px wider than the phone"
