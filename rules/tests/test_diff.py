from rules.diff import compare_articles, highlight


def kinds(rows):
    return [(r.kind, r.old_number, r.new_number) for r in rows]


def test_added_removed_moved_changed_and_unchanged():
    old = [(1, "Alpha rule text."), (2, "Beta must register gifts within 5 days."), (3, "Gamma text."), (4, "Delta.")]
    new = [
        (1, "Alpha rule text."),
        (2, "Gamma text."),
        (3, "Beta must register gifts within 3 days."),
        (4, "Epsilon new."),
    ]
    rows = kinds(compare_articles(old, new))
    assert ("unchanged", 1, 1) in rows
    assert ("moved", 3, 2) in rows
    assert ("changed", 2, 3) in rows
    assert ("added", None, 4) in rows
    assert ("removed", 4, None) in rows


def test_words_are_highlighted_inside_a_changed_article():
    left, right = highlight("register within 5 days", "register within 3 days")
    assert "<del>5</del>" in left and "<ins>3</ins>" in right
    assert "register within" in left


def test_chinese_is_compared_character_by_character():
    left, right = highlight("应在10个工作日内报告", "应在7个工作日内报告")
    assert "<del>10</del>" in left and "<ins>7</ins>" in right
    assert "工作日" in right


def test_markup_in_articles_is_escaped():
    left, right = highlight("<script>alert(1)</script>", "<b>bold</b>")
    assert "<script" not in left and "&lt;" in left
    assert "<b>" not in right and "&lt;" in right
