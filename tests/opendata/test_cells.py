"""CSV cells: a spreadsheet never runs one as a formula, and the importer gets back exactly what was written."""

from hypothesis import given
from hypothesis import strategies as st

from provider_dir.opendata.hsds.cells import TRIGGERS, guard, unguard


@given(st.text(alphabet=st.sampled_from("=+-@\t\r'ab 1"), max_size=6) | st.text(max_size=20))
def test_guard_then_unguard_gives_the_text_back_and_no_cell_starts_a_formula(text):
    cell = guard(text)
    assert unguard(cell) == text
    assert cell[:1] not in TRIGGERS


def test_examples():
    assert guard("=SUM(A1)") == "'=SUM(A1)" and guard("+1 617") == "'+1 617" and guard("@home") == "'@home"
    assert guard("'=already") == "''=already" and guard("'quoted") == "'quoted" and guard("") == ""
    assert unguard("'plain") == "'plain"
