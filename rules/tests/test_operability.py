from rules.models import ELEMENTS
from rules.operability import operability_check, vague_phrases_in


def test_every_empty_element_is_listed():
    items = operability_check(elements={}, articles=[])
    assert [i.anchor for i in items if i.kind == "missing"] == [name for name, _ in ELEMENTS]


def test_vague_wording_found_in_both_languages_with_its_place():
    items = operability_check(
        elements={name: "Clear." for name, _ in ELEMENTS},
        articles=[(1, "Relevant departments act as appropriate."), (2, "原则上由有关部门负责，必要时报告。")],
    )
    found = {(i.anchor, i.detail) for i in items}
    assert all(i.kind == "vague" for i in items)
    assert any(a == "article-1" and "as appropriate" in d for a, d in found)
    assert any(a == "article-2" and "原则上" in d for a, d in found)
    assert any(a == "article-2" and "有关部门" in d for a, d in found)
    assert any(a == "article-2" and "必要时" in d for a, d in found)


def test_complete_clear_draft_has_no_items():
    assert operability_check(elements={n: "Within 5 working days." for n, _ in ELEMENTS}, articles=[(1, "Do X.")]) == []


def test_phrases_counted_once_per_place():
    assert vague_phrases_in("in principle ... In Principle ...") == ["in principle"]
