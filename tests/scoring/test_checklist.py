"""The checklist data matches the domain table and keeps its own rules."""

import re

from provider_dir.reviews.models import Review
from provider_dir.scoring.checklist import items as checklist
from provider_dir.scoring.checklist.items import ITEMS, SOURCES


def test_there_are_21_items_coded_c01_to_c21_in_table_order():
    assert [item.code for item in ITEMS] == [f"C{n:02d}" for n in range(1, 22)]
    assert [item.number for item in ITEMS] == list(range(1, 22))


def test_the_checklist_names_its_version():
    assert re.fullmatch(r"\d{4}\.\d+", checklist.CHECKLIST_VERSION)


def test_safety_critical_items_are_the_seven_the_domain_table_marks():
    assert checklist.SAFETY_CRITICAL_CODES == ("C01", "C03", "C04", "C05", "C07", "C08", "C11")


def test_categories_follow_the_domain_table():
    expected = {
        "C01": "Oversight", "C02": "Oversight", "C03": "Safety", "C04": "Screening", "C05": "Screening",
        "C06": "Safety", "C07": "Safety", "C08": "Safety", "C09": "Treatment plan", "C10": "Treatment plan",
        "C11": "Aftercare", "C12": "Consent", "C13": "Outcomes", "C14": "Well-being", "C15": "Well-being",
        "C16": "Well-being", "C17": "Safety", "C18": "Ethics", "C19": "Transparency", "C20": "Ethics",
        "C21": "Recognition",
    }
    assert {item.code: item.category for item in ITEMS} == expected
    assert set(expected.values()) == set(checklist.CATEGORIES)


def test_weights_add_up_to_100_and_safety_items_weigh_most():
    assert checklist.MAX_POINTS == 100
    assert sum(checklist.CATEGORY_MAX.values()) == 100
    lightest_safety = min(i.weight for i in ITEMS if i.safety_critical)
    heaviest_other = max(i.weight for i in ITEMS if not i.safety_critical)
    assert lightest_safety > heaviest_other


def test_every_item_cites_known_sources_and_every_source_has_a_full_citation():
    for item in ITEMS:
        assert item.sources and all(name in SOURCES for name in item.sources), item.code
    assert "JAMA Psychiatry 2017;74(4):399-405" in SOURCES["APA 2017"].citation
    assert "Regional Anesthesia & Pain Medicine 2018;43:521-546" in SOURCES["ASRA/AAPM/ASA 2018"].citation
    assert {s for item in ITEMS for s in item.sources} == set(SOURCES)


def test_the_sources_of_each_item_are_those_of_the_domain_table():
    assert ITEMS[0].sources == ("APA 2017", "ASA")
    assert ITEMS[6].sources == ("APA 2017", "Spravato REMS")
    assert ITEMS[20].sources == ("ASKP3", "Spravato REMS")


def test_every_item_says_why_it_matters_in_one_or_two_sentences():
    for item in ITEMS:
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", item.why.strip()) if s]
        assert 1 <= len(sentences) <= 2, item.code
        assert item.text and item.title


def test_evidence_kinds_are_from_the_closed_list():
    allowed = set(checklist.EVIDENCE_KIND_LABELS)
    for item in ITEMS:
        assert item.evidence_kinds and set(item.evidence_kinds) <= allowed, item.code
    assert ITEMS[19].evidence_kinds == ("MOD",) and not ITEMS[19].self_report_counts


def test_patient_questions_map_to_real_review_fields_for_the_seven_items():
    assert sorted(checklist.REVIEW_FIELDS.values()) == ["C03", "C04", "C07", "C11", "C13", "C16", "C19"]
    for field in checklist.REVIEW_FIELDS:
        assert hasattr(Review, field)


def test_items_with_dated_evidence_expire_and_the_first_three_come_from_credentials():
    assert {i.code for i in ITEMS if i.expires} == {"C01", "C03", "C21"}
    assert {i.code for i in ITEMS if i.from_credentials} == {"C01", "C02", "C03"}
