import pytest
from django.template import Context, Template

from integrity.templatetags.integrity_tags import excerpt


@pytest.mark.parametrize(
    ("text", "length", "expected"),
    [
        ("short", 10, "short"),
        ("exactly10!", 10, "exactly10!"),
        ("eleven char", 10, "eleven ch…"),
        ("廉洁纪律规定的执行情况", 5, "廉洁纪律…"),
        (None, 5, ""),
    ],
)
def test_excerpt_cuts_to_the_length_with_an_ellipsis(text, length, expected):
    assert excerpt(text, length) == expected
    assert len(excerpt(text, length)) <= length


def test_excerpt_is_escaped_in_templates():
    html = Template("{% load integrity_tags %}{{ text|excerpt:12 }}").render(Context({"text": "<b>bold</b> and more"}))
    assert html == "&lt;b&gt;bold&lt;/b&gt;…"  # cut first, then escaped: no broken entity
